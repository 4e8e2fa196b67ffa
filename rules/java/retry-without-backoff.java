package com.acme.orders.payments;

import dev.failsafe.RetryPolicy;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.springframework.retry.annotation.Backoff;
import org.springframework.retry.annotation.Retryable;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

public class PaymentGatewayClient {

    private static final long RETRY_DELAY_MS = 500;
    private static final int MAX_ATTEMPTS = 4;

    private final GatewayApi api;
    private final BlockingQueue<Refund> refunds;
    private RefundStore refundStore;

    public PaymentGatewayClient(GatewayApi api, BlockingQueue<Refund> refunds) {
        this.api = api;
        this.refunds = refunds;
    }

    public Receipt charge(Order order) throws InterruptedException {
        IOException last = null;
        // ruleid: retry-without-backoff
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                return api.charge(order.id(), order.total());
            } catch (IOException e) {
                last = e;
                Thread.sleep(RETRY_DELAY_MS);
            }
        }
        throw new PaymentException("charge failed", last);
    }

    public Receipt capture(String paymentId) throws InterruptedException {
        int attempt = 0;
        // ruleid: retry-without-backoff
        while (attempt < 3) {
            try {
                return api.capture(paymentId);
            } catch (IOException e) {
                attempt++;
                TimeUnit.SECONDS.sleep(1);
            }
        }
        throw new PaymentException("capture failed");
    }

    public Receipt voidPayment(String paymentId) {
        // ruleid: retry-without-backoff
        for (int retries = 0; retries < 5; retries++) {
            try {
                return api.voidPayment(paymentId);
            } catch (IOException e) {
                log("void failed, retrying", e);
            }
        }
        throw new PaymentException("void failed");
    }

    // ruleid: retry-without-backoff
    public static final RetryConfig GATEWAY_RETRY = RetryConfig.custom()
            .maxAttempts(3)
            .waitDuration(Duration.ofMillis(500))
            .build();

    // ruleid: retry-without-backoff
    private final RetryPolicy<Object> refundPolicy = RetryPolicy.builder()
            .handle(IOException.class)
            .withMaxRetries(3)
            .build();

    // A bounded retry a fixed second apart (Spring Retry's default back-off) does not saturate the API.
    // ok: retry-without-backoff
    @Retryable(retryFor = IOException.class, maxAttempts = 4)
    public Receipt refund(String paymentId) throws IOException {
        return api.refund(paymentId);
    }

    // ok: retry-without-backoff
    @Retryable(retryFor = IOException.class, backoff = @Backoff(delay = 2000))
    public Receipt authorize(Order order) throws IOException {
        return api.authorize(order.id());
    }

    public Mono<Receipt> chargeReactive(Order order) {
        // ruleid: retry-without-backoff
        return api.chargeReactive(order.id()).retry(3);
    }

    public Mono<Receipt> captureReactive(String paymentId) {
        // ruleid: retry-without-backoff
        return api.captureReactive(paymentId).retryWhen(Retry.fixedDelay(3, Duration.ofSeconds(1)));
    }

    // --- the correct shapes ---

    public Receipt chargeWithBackoff(Order order) throws InterruptedException {
        long delay = 200;
        // ok: retry-without-backoff
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                return api.charge(order.id(), order.total());
            } catch (IOException e) {
                Thread.sleep(delay + ThreadLocalRandom.current().nextLong(delay));
                delay *= 2;
            }
        }
        throw new PaymentException("charge failed");
    }

    public void drainRefunds() throws InterruptedException {
        // A worker that polls at a fixed interval is not a retry loop.
        // ok: retry-without-backoff
        while (true) {
            try {
                Refund refund = refunds.take();
                api.refund(refund.paymentId());
            } catch (IOException e) {
                log("refund failed", e);
            }
            Thread.sleep(1_000);
        }
    }

    public Receipt firstReachable(Order order, java.util.List<GatewayApi> regions) {
        // ok: retry-without-backoff
        for (int i = 0; i < regions.size(); i++) {
            try {
                return regions.get(i).charge(order.id(), order.total());
            } catch (IOException e) {
                log("region unavailable", e);
            }
        }
        throw new PaymentException("no region");
    }

    // ok: retry-without-backoff
    public static final RetryConfig GATEWAY_RETRY_EXP = RetryConfig.custom()
            .maxAttempts(3)
            .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(Duration.ofMillis(200), 2.0, 0.5))
            .build();

    // ok: retry-without-backoff
    private final RetryPolicy<Object> refundPolicyExp = RetryPolicy.builder()
            .handle(IOException.class)
            .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(5))
            .withJitter(0.25)
            .withMaxRetries(3)
            .build();

    // A lost write race in the service's own database, retried at once: the next attempt reads fresh state.
    // ok: retry-without-backoff
    @Retryable(includes = ConcurrencyFailureException.class, maxRetriesString = "10", delayString = "100")
    public void assignTag(String paymentId, String tag) {
        repository.assign(paymentId, tag);
    }

    // ok: retry-without-backoff
    @Retryable(retryFor = {OptimisticLockingFailureException.class, CannotAcquireLockException.class}, maxAttempts = 3)
    public void markSettled(String paymentId) {
        repository.markSettled(paymentId);
    }

    // ok: retry-without-backoff
    @Retryable(retryFor = {OptimisticLockingFailureException.class, IOException.class}, maxAttempts = 3)
    public Receipt settleAndRecord(String paymentId) throws IOException {
        return api.settle(paymentId);
    }

    // ok: retry-without-backoff
    @Retryable(retryFor = IOException.class, backoff = @Backoff(delay = 200, multiplier = 2, maxDelay = 5000))
    public Receipt settle(String paymentId) throws IOException {
        return api.settle(paymentId);
    }

    public Mono<Receipt> chargeReactiveWithBackoff(Order order) {
        // ok: retry-without-backoff
        return api.chargeReactive(order.id()).retryWhen(Retry.backoff(3, Duration.ofMillis(200)).jitter(0.5));
    }

    public Receipt chargeWithFailover(Order order, java.util.List<GatewayApi> replicas, LoadBalancer loadbalance) throws IOException {
        java.util.List<GatewayApi> tried = new java.util.ArrayList<>();
        IOException last = null;
        // Each attempt goes to another replica chosen by the load balancer.
        // ok: retry-without-backoff
        for (int attempt = 0; attempt < 3; attempt++) {
            GatewayApi replica = loadbalance.select(replicas, tried);
            tried.add(replica);
            try {
                return replica.charge(order.id(), order.total());
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    public int compileSchemas(java.util.List<String> command) throws Exception {
        int attemptsLeft = 3;
        // Re-runs a local compiler process, not a remote call.
        // ok: retry-without-backoff
        while (true) {
            try {
                return new ProcessBuilder(command).inheritIO().start().waitFor();
            } catch (IOException e) {
                if (--attemptsLeft == 0) {
                    throw e;
                }
            }
        }
    }

    public void awaitDrained(java.util.List<BlockingQueue<Refund>> queues, long timeoutMs) {
        long start = System.currentTimeMillis();
        boolean busy = true;
        // Waits for local state; the `break` only ends the inner scan, not this loop.
        // ok: retry-without-backoff
        while (busy && System.currentTimeMillis() - start < timeoutMs) {
            try {
                TimeUnit.MILLISECONDS.sleep(10);
                busy = false;
                for (BlockingQueue<Refund> q : queues) {
                    if (!q.isEmpty()) {
                        busy = true;
                        break;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    public Refund markSettled(long refundId, int maxAttempts) {
        // Reload-and-reapply after losing an optimistic-locking race.
        // ok: retry-without-backoff
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            try {
                Refund refund = refunds.findById(refundId);
                refund.settle();
                return refunds.saveAndFlush(refund);
            } catch (ObjectOptimisticLockingFailureException e) {
                log("concurrent update, reloading", e);
            }
        }
        throw new IllegalStateException("refund " + refundId + " kept changing");
    }

    public DashboardUser createDashboardUser(String email, String hashedPassword) {
        // A new random id on every pass: retry only when that id was already taken.
        // ok: retry-without-backoff
        while (true) {
            String userId = UUID.randomUUID().toString();
            try {
                return users.insert(new DashboardUser(userId, email, hashedPassword));
            } catch (DuplicateUserIdException ignored) {
                // retry with a new userId
            }
        }
    }

    public Mono<Receipt> chargeOnceMore(Order order) {
        // A single retry before the fallback: no schedule to back off on.
        // ok: retry-without-backoff
        return api.chargeReactive(order.id()).retryWhen(Retry.max(1)).onErrorResume(e -> Mono.empty());
    }

    public Receipt chargeWithRetryer(Order order, feign.Retryer retryer) {
        // ok: retry-without-backoff
        while (true) {
            try {
                return api.charge(order);
            } catch (feign.RetryableException e) {
                // The Retryer sleeps with a growing, capped interval or rethrows after its last attempt.
                retryer.continueOrPropagate(e);
            }
        }
    }

    public Mono<Receipt> captureFiltered(String paymentId) {
        // ruleid: retry-without-backoff
        return api.captureReactive(paymentId).retryWhen(Retry.fixedDelay(5, Duration.ofMillis(200))
                .filter(e -> e instanceof IOException));
    }

    public Mono<Refund> markSettledReactive(long refundId) {
        // Reload-and-reapply: each attempt fetches the current version before updating it.
        return refundStore.findById(refundId)
                .flatMap(refund -> refundStore.save(refund.settle()))
                // ok: retry-without-backoff
                .retryWhen(Retry.fixedDelay(10, Duration.ofMillis(100))
                        .filter(OptimisticLockingFailureException.class::isInstance));
    }

    public Mono<Void> awaitRefundRemoved(long refundId) {
        // A short poll for local state, written as a retry of an error the chain raises itself.
        return refundStore.findById(refundId)
                .flatMap(found -> Mono.error(new IllegalStateException("refund not removed yet")))
                // ok: retry-without-backoff
                .retryWhen(Retry.fixedDelay(20, Duration.ofMillis(100))
                        .filter(IllegalStateException.class::isInstance))
                .then();
    }

    public int purgeExpired(java.util.List<Refund> batch) {
        int purged = 0;
        // A scan over local records; "attempting" is only in a log message.
        // ok: retry-without-backoff
        for (int i = 0; i < batch.size(); i++) {
            try {
                if (batch.get(i).isExpired()) {
                    log("expired refund found, attempting to purge it", null);
                    purged++;
                } else {
                    break;
                }
            } finally {
                refundStore.release(batch.get(i));
            }
        }
        return purged;
    }

    public java.net.ServerSocket openCommandPort(int basePort) throws InterruptedException {
        // Startup search for a free local port: each attempt binds the next one.
        // ok: retry-without-backoff
        for (int tries = 0; tries < 30; tries++) {
            try {
                return new java.net.ServerSocket(basePort + tries / 3, 100);
            } catch (IOException e) {
                TimeUnit.MILLISECONDS.sleep(30);
            }
        }
        throw new IllegalStateException("no free port from " + basePort);
    }

    /** The fixed-delay strategy, offered beside the exponential one in the gateway configuration. */
    static final class FixedRetryStrategy {
        Retry policy(int retryTimes) {
            // ok: retry-without-backoff
            return Retry.fixedDelay(retryTimes, Duration.ofSeconds(2));
        }
    }

    interface LoadBalancer {
        GatewayApi select(java.util.List<GatewayApi> replicas, java.util.List<GatewayApi> tried);
    }

    private static void log(String message, Exception e) {
        System.err.println(message + ": " + e);
    }

    interface Connector { void subscribe(String filter); void disconnect(); void connectNext(); }
    interface UndoLogStore { void insertOrRead(java.sql.Connection conn, long branchId) throws java.sql.SQLException; }

    private Connector connector;
    private UndoLogStore undoLogs;

    private void restart() {
        connector.disconnect();
        try {
            Thread.sleep(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connector.connectNext();
    }

    public void subscribe(String filter) {
        int retryTimes = 3;
        // Failover: restart() disconnects, pauses and connects to the next node of the cluster.
        // ok: retry-without-backoff
        for (int attempt = 0; attempt < retryTimes; attempt++) {
            try {
                connector.subscribe(filter);
                return;
            } catch (RuntimeException e) {
                log("subscribe failed, restarting the connector", e);
                restart();
            }
        }
        throw new IllegalStateException("failed to subscribe after " + retryTimes + " attempts");
    }

    public void insertUndoRecord(java.sql.Connection conn, long branchId) throws java.sql.SQLException {
        // Another process inserted the row first: the next pass reads it instead.
        // ok: retry-without-backoff
        for (int retry = 0; retry < 2; retry++) {
            try {
                undoLogs.insertOrRead(conn, branchId);
                return;
            } catch (java.sql.SQLIntegrityConstraintViolationException e) {
                log("undo record inserted concurrently, retrying", e);
            }
        }
    }

    public static <T> T lastOf(java.util.List<T> list) {
        // A race with a concurrent remove on a local list: re-read the size and try again.
        // ok: retry-without-backoff
        for (int tries = 0; tries < 3; tries++) {
            int size = list.size();
            try {
                return list.get(size - 1);
            } catch (IndexOutOfBoundsException ignore) {
                // removed by another thread in between
            }
        }
        return null;
    }


    // ---- retries by recursion ----

    interface Response {}
    interface Event {}
    interface HttpApi { Response get(String path) throws IOException; Response get(String path, String token) throws IOException; }
    interface Broker { void send(Event event) throws IOException; }

    private HttpApi http;
    private Broker broker;
    private String token;

    Response connect(String host) {
        try {
            return http.get(host);
        } catch (IOException e) {
            log("connect failed, retrying", e);
            // ruleid: retry-without-backoff
            return connect(host);
        }
    }

    void publish(Event event) {
        try {
            broker.send(event);
        } catch (IOException e) {
            // ruleid: retry-without-backoff
            this.publish(event);
        }
    }

    Response fetchStatus(String id) {
        Response r;
        try {
            r = http.get("/status/" + id);
        } catch (IOException e) {
            // ruleid: retry-without-backoff
            r = fetchStatus(id);
        }
        return r;
    }

    Response connectPaced(String host) throws InterruptedException {
        try {
            return http.get(host);
        } catch (IOException e) {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1000));
            // ok: retry-without-backoff
            return connectPaced(host);
        }
    }

    Response callAuthed(String path) {
        try {
            return http.get(path, token);
        } catch (IOException e) {
            token = refreshToken();
            // ok: retry-without-backoff
            return callAuthed(path);
        }
    }

    Response load(String id) {
        try {
            return http.get("/items/" + id);
        } catch (IOException e) {
            // A different method: a fallback, not a retry.
            // ok: retry-without-backoff
            return loadFromCache(id);
        }
    }

    private Response loadFromCache(String id) { return null; }

    private String refreshToken() { return ""; }
}
