package com.acme.orders.inventory;

import dev.failsafe.RetryPolicy;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import org.springframework.retry.annotation.Backoff;
import org.springframework.retry.annotation.Retryable;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

public class InventoryReservations {

    private static final int MAX_ATTEMPTS = 5;

    private final InventoryApi api;
    private final BlockingQueue<String> releases;

    public InventoryReservations(InventoryApi api, BlockingQueue<String> releases) {
        this.api = api;
        this.releases = releases;
    }

    public Reservation reserve(String sku, int qty) throws InterruptedException {
        // ruleid: retry-without-cap
        while (true) {
            try {
                return api.reserve(sku, qty);
            } catch (IOException e) {
                Thread.sleep(1_000);
            }
        }
    }

    public void confirm(String reservationId) throws InterruptedException {
        // ruleid: retry-without-cap
        for (;;) {
            try {
                api.confirm(reservationId);
                break;
            } catch (IOException e) {
                Thread.sleep(500);
            }
        }
    }

    public void connect() throws InterruptedException {
        boolean connected = false;
        // ruleid: retry-without-cap
        while (!connected) {
            try {
                api.connect();
                connected = true;
            } catch (IOException e) {
                Thread.sleep(2_000);
            }
        }
    }

    // ruleid: retry-without-cap
    static final RetryConfig FOREVER = RetryConfig.custom().maxAttempts(Integer.MAX_VALUE).build();

    static final RetryPolicy<Object> STUBBORN = RetryPolicy.builder()
            .withDelay(Duration.ofSeconds(1))
            // ruleid: retry-without-cap
            .withMaxRetries(-1)
            .build();

    public Mono<Reservation> reserveReactive(String sku, int qty) {
        // ruleid: retry-without-cap
        return api.reserveReactive(sku, qty).retry();
    }

    // --- the correct shapes ---

    public Reservation reserveWithRetryer(String sku, int qty, feign.Retryer retryer) {
        // ok: retry-without-cap
        while (true) {
            try {
                return api.reserve(sku, qty);
            } catch (feign.RetryableException e) {
                // The Retryer rethrows once its attempts are spent.
                retryer.continueOrPropagate(e);
            }
        }
    }

    public Reservation reserveCapped(String sku, int qty) throws IOException, InterruptedException {
        // ok: retry-without-cap
        for (int attempt = 1; ; attempt++) {
            try {
                return api.reserve(sku, qty);
            } catch (IOException e) {
                if (attempt == MAX_ATTEMPTS) {
                    throw e;
                }
                Thread.sleep(200L << attempt);
            }
        }
    }

    public Reservation reserveWithCounter(String sku, int qty) throws IOException, InterruptedException {
        int attempt = 0;
        // ok: retry-without-cap
        while (true) {
            if (++attempt > MAX_ATTEMPTS) {
                throw new IOException("inventory unavailable");
            }
            try {
                return api.reserve(sku, qty);
            } catch (IOException e) {
                Thread.sleep(200L << attempt);
            }
        }
    }

    public void releaseWorker() {
        // A consumer loop, not a retry: the try block never leaves the loop.
        // ok: retry-without-cap
        while (true) {
            try {
                api.release(releases.take());
            } catch (IOException | InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    // ok: retry-without-cap
    static final RetryConfig BOUNDED = RetryConfig.custom().maxAttempts(4).build();

    static final RetryPolicy<Object> PATIENT = RetryPolicy.builder()
            .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(10))
            // ok: retry-without-cap
            .withMaxRetries(-1)
            .withMaxDuration(Duration.ofMinutes(2))
            .build();

    public Mono<Reservation> reserveReactiveCapped(String sku, int qty) {
        // ok: retry-without-cap
        return api.reserveReactive(sku, qty).retryWhen(Retry.backoff(3, Duration.ofMillis(200)));
    }

    public void pollReleases(ReleaseFeed feed) {
        // A consumer loop that dispatches on the fetch status: its `break`s only leave the switch.
        // ok: retry-without-cap
        while (true) {
            try {
                FetchResult result = feed.fetch(32);
                switch (result.status()) {
                    case FOUND:
                        api.release(result.items());
                        break;
                    case EMPTY:
                        break;
                    default:
                        break;
                }
            } catch (IOException e) {
                log.warn("fetch failed", e);
            }
        }
    }

    public void drainPending(ReleaseFeed feed) {
        // ruleid: retry-without-cap
        while (true) {
            try {
                FetchResult result = feed.fetch(32);
                if (result.items().isEmpty()) {
                    break;
                }
                api.release(result.items());
            } catch (IOException e) {
                log.warn("drain failed, going round again", e);
            }
        }
    }

    public java.net.ServerSocket openAdminPort(int basePort) throws InterruptedException {
        int tries = 0;
        // Startup search for a free local port: it ends at the first one that binds.
        // ok: retry-without-cap
        while (true) {
            try {
                return new java.net.ServerSocket(basePort + tries / 3, 100);
            } catch (IOException e) {
                tries++;
                Thread.sleep(30);
            }
        }
    }

    public Reservation reserveOptimistic(long stockId, int qty) {
        // Reload-and-reapply until this write wins the optimistic-locking race.
        // ok: retry-without-cap
        while (true) {
            try {
                Stock stock = stocks.findById(stockId);
                stock.reserve(qty);
                return reservations.saveAndFlush(new Reservation(stock, qty));
            } catch (OptimisticLockException e) {
                entityManager.clear();
            }
        }
    }

    public DashboardUser createDashboardUser(String email, String hashedPassword) {
        // A new random id on every pass: retry only when that id was already taken.
        // ok: retry-without-cap
        while (true) {
            String userId = UUID.randomUUID().toString();
            try {
                return users.insert(new DashboardUser(userId, email, hashedPassword));
            } catch (DuplicateUserIdException ignored) {
                // retry with a new userId
            }
        }
    }

    @SuppressWarnings("unchecked")
    public static <T> T readField(java.lang.reflect.Field field, Object target) {
        // A race with a thread that resets the field's accessibility: re-run locally, nothing remote.
        // ok: retry-without-cap
        while (true) {
            if (!field.canAccess(target)) {
                field.setAccessible(true);
            }
            try {
                return (T) field.get(target);
            } catch (IllegalAccessException ignore) {
                // another thread called setAccessible(false) in between
            }
        }
    }
}
