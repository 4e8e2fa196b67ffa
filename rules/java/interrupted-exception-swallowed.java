package com.acme.orders.fulfilment;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public class ShipmentDispatcher implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ShipmentDispatcher.class);
    private volatile boolean isRunning = true;

    private final BlockingQueue<Shipment> queue;
    private final CarrierApi carrier;

    public ShipmentDispatcher(BlockingQueue<Shipment> queue, CarrierApi carrier) {
        this.queue = queue;
        this.carrier = carrier;
    }

    @Override
    public void run() {
        while (true) {
            try {
                carrier.dispatch(queue.take());
            // ruleid: interrupted-exception-swallowed
            } catch (InterruptedException e) {
                log.warn("dispatcher interrupted", e);
            }
        }
    }

    public Label awaitLabel(Future<Label> label) {
        try {
            return label.get(5, TimeUnit.SECONDS);
        // ruleid: interrupted-exception-swallowed
        } catch (InterruptedException | ExecutionException e) {
            log.error("label not available", e);
            return Label.PENDING;
        } catch (java.util.concurrent.TimeoutException e) {
            return Label.PENDING;
        }
    }

    public void backoff(long millis) {
        try {
            Thread.sleep(millis);
        // ruleid: interrupted-exception-swallowed
        } catch (InterruptedException e) {
            // shutting down anyway
        }
    }

    public void backoffRestoring(long millis) {
        try {
            Thread.sleep(millis);
        // ok: interrupted-exception-swallowed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public Label awaitLabelOrCancel(Future<Label> label) throws ExecutionException {
        try {
            return label.get();
        // ok: interrupted-exception-swallowed
        } catch (InterruptedException e) {
            throw new CancellationException("interrupted while waiting for a label");
        }
    }

    public Label awaitLabelWrapped(Future<Label> label) {
        try {
            return label.get();
        // ruleid: interrupted-exception-swallowed
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("label lookup failed", e);
        }
    }

    public void waitForLoggerContext(java.util.concurrent.CountDownLatch ready) {
        try {
            ready.await();
        // ruleid: interrupted-exception-swallowed
        } catch (InterruptedException e) {
            log.warn("interrupted while waiting for the logger context");
            throw new IllegalStateException("logger context not ready", e);
        }
    }

    public String readResponse(Future<String> response) {
        try {
            return response.get();
        // ruleid: interrupted-exception-swallowed
        } catch (InterruptedException e) {
            throw new RuntimeException(e);
        }
    }

    public String readResponseRestoring(Future<String> response) {
        try {
            return response.get();
        // ok: interrupted-exception-swallowed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeException(e);
        }
    }

    public String readResponseIo(Future<String> response) throws java.io.IOException {
        try {
            return response.get();
        // ok: interrupted-exception-swallowed
        } catch (InterruptedException e) {
            throw new java.io.InterruptedIOException("interrupted while reading the response");
        } catch (ExecutionException e) {
            throw new java.io.IOException(e.getCause());
        }
    }

    public Label labelIfReady(Future<Label> label) {
        if (label.isDone()) {
            try {
                return label.get();
            // ok: interrupted-exception-swallowed
            } catch (InterruptedException | ExecutionException e) {
                log.debug("label lookup failed", e);
            }
        }
        return Label.PENDING;
    }

    public void sendEndMarker(java.util.concurrent.BlockingQueue<String> queue, ErrorHandler errorHandler,
                              java.util.concurrent.CompletableFuture<Void> done) {
        try {
            queue.put("END");
        // The owner is told the work failed: the reader that owns this fetch stops on it.
        // ok: interrupted-exception-swallowed
        } catch (InterruptedException e) {
            log.error("sending the end marker was interrupted", e);
            errorHandler.setProducerThrowable(new IllegalStateException("interrupted", e));
        }
        try {
            queue.put("DONE");
        // ok: interrupted-exception-swallowed
        } catch (InterruptedException e) {
            done.completeExceptionally(e);
        }
    }

    public void notifyMaster(java.util.function.BooleanSupplier send) {
        boolean sent = false;
        while (isRunning && !sent) {
            sent = send.getAsBoolean();
            try {
                Thread.sleep(1000);
            // shutdown() clears isRunning before it interrupts: the loop ends on its next test.
            // ok: interrupted-exception-swallowed
            } catch (InterruptedException e) {
                log.warn("interrupted while retrying the notification");
            }
        }
    }

    public void drain() throws InterruptedException {
        try {
            carrier.flush();
        // ok: interrupted-exception-swallowed
        } catch (java.io.IOException e) {
            log.warn("flush failed", e);
        }
    }

    public void stop(Thread worker) {
        worker.interrupt();
        try {
            worker.join(1_000);
        // ok: interrupted-exception-swallowed
        } catch (InterruptedException e) {
            log.info("stop interrupted");
            Thread.currentThread().interrupt();
        }
    }

    public void awaitDrained(Thread worker) {
        boolean interrupted = false;
        while (worker.isAlive()) {
            try {
                worker.join(100);
            // ok: interrupted-exception-swallowed
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private volatile boolean running = true;

    public void runExpiryLoop(long intervalMillis) {
        while (running) {
            expireOldEntries();
            try {
                Thread.sleep(intervalMillis);
            // ok: interrupted-exception-swallowed
            } catch (InterruptedException e) {
                running = false;
            }
        }
    }

    public void pollUntilReady(long intervalMillis) {
        while (!ready()) {
            try {
                Thread.sleep(intervalMillis);
            // ruleid: interrupted-exception-swallowed
            } catch (InterruptedException e) {
                log.warn("interrupted while waiting for readiness; shutting down is not possible here");
            }
        }
    }
    public void pause(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        // ruleid: interrupted-exception-swallowed
        } catch (InterruptedException ignored) {
        }
    }

    public void flushOrWait(java.io.Flushable out) {
        try {
            out.flush();
            Thread.sleep(10);
        // Reported by swallowed-exception (a broad multi-catch).
        // ok: interrupted-exception-swallowed
        } catch (InterruptedException | java.io.IOException e) {
        }
    }

    public java.util.List<Shipment> collectBatch(int max) {
        java.util.List<Shipment> batch = new java.util.ArrayList<>();
        while (batch.size() < max) {
            try {
                batch.add(queue.take());
            // A helper that stops early hides the interrupt from its caller.
            // ruleid: interrupted-exception-swallowed
            } catch (InterruptedException e) {
                break;
            }
        }
        return batch;
    }

    /** The server's own thread: stop() interrupts it, and when the wait ends the thread is done. */
    private final class ServerThread extends Thread {
        @Override
        public void run() {
            java.net.ServerSocket socket = openSocket();
            try {
                awaitClose(socket);
            // ok: interrupted-exception-swallowed
            } catch (InterruptedException e) {
                log.info("server thread stopped");
            } finally {
                closeQuietly(socket);
            }
        }
    }

    @SuppressWarnings({"squid:S3776", "squid:S2142"})
    private void recordResult(long taskId, String result) {
        try {
            resultQueue.put(new TaskResult(taskId, result));
        // ok: interrupted-exception-swallowed
        } catch (InterruptedException ignore) {
            // the tracker is being destroyed; the result is reported again by the next heartbeat
        }
    }

    public Label awaitAll(Future<Label> label, java.util.List<Future<?>> siblings) {
        try {
            return label.get();
        // The shared handler below restores the interrupt and rethrows.
        // ok: interrupted-exception-swallowed
        } catch (InterruptedException e) {
            log.warn("interrupted while waiting for the label", e);
            handleWaitFailure(e, siblings);
        } catch (ExecutionException e) {
            handleWaitFailure(e.getCause(), siblings);
        }
        return null;
    }

    private void handleWaitFailure(final Throwable cause, java.util.List<Future<?>> siblings) {
        for (Future<?> f : siblings) {
            f.cancel(true);
        }
        if (cause instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException(cause);
    }

    public void awaitAcknowledged(Future<?> ack) {
        try {
            ack.get();
        // ruleid: interrupted-exception-swallowed
        } catch (InterruptedException e) {
            recordFailure(e);
        } catch (ExecutionException e) {
            recordFailure(e);
        }
    }

    private void recordFailure(Exception e) {
        log.warn("acknowledgement failed", e);
    }

    public void startListener(java.util.concurrent.ExecutorService pool, Listener listener) {
        pool.execute(() -> {
            try {
                listener.bind().awaitClose();
            // The task ends with the handler: the interrupt was its stop signal.
            // ok: interrupted-exception-swallowed
            } catch (InterruptedException e) {
                log.info("listener stopped");
            } finally {
                listener.release();
            }
        });
    }

    public void startReconnecting(java.util.concurrent.ExecutorService pool, Listener listener) {
        pool.execute(() -> {
            while (!listener.isConnected()) {
                try {
                    Thread.sleep(1_000);
                // The loop goes on reconnecting after the interrupt.
                // ruleid: interrupted-exception-swallowed
                } catch (InterruptedException e) {
                    log.warn("interrupted while waiting to reconnect");
                }
            }
        });
    }

    public void startPolling(java.util.concurrent.ExecutorService pool, Listener listener) {
        pool.submit(() -> {
            try {
                listener.poll();
            } catch (java.io.IOException e) {
                try {
                    Thread.sleep(500);
                // Nested in another handler: the task goes on after it.
                // ruleid: interrupted-exception-swallowed
                } catch (InterruptedException ie) {
                    log.debug("poll back-off interrupted");
                }
                listener.retry();
            }
        });
    }

    /** The registration thread: disconnect() interrupts it to stop it. */
    public void connect(java.util.concurrent.ThreadFactory threads) {
        threads.newThread(this::registerLoop).start();
        threads.newThread(this::watchdog).start();
    }

    private void registerLoop() {
        while (true) {
            try {
                carrier.register(queue.take());
            // The thread's body is handed over by reference, and the interrupt ends its loop.
            // ok: interrupted-exception-swallowed
            } catch (InterruptedException e) {
                break;
            }
        }
        log.debug("registration thread ending");
    }

    private void watchdog() {
        try {
            TimeUnit.SECONDS.sleep(30);
        // A thread body that carries on after the interrupt: opt-in only, as in `run()`.
        // ruleid: interrupted-exception-swallowed
        } catch (InterruptedException e) {
            log.warn("watchdog interrupted");
        }
        carrier.abortAll();
    }

    public void drainAll(java.util.concurrent.ScheduledExecutorService scheduler) {
        final Runnable drainTask = () -> {
            while (!queue.isEmpty()) {
                try {
                    carrier.dispatch(queue.take());
                // A task body kept in a Runnable: the interrupt ends its loop, and the task with it.
                // ok: interrupted-exception-swallowed
                } catch (InterruptedException e) {
                    break;
                }
            }
        };
        scheduler.schedule(drainTask, 0, TimeUnit.SECONDS);
    }

    private void drainOnce() {
        while (true) {
            try {
                carrier.dispatch(queue.take());
            // Not handed to any thread: the loop ends, but its caller carries on without the interrupt.
            // ruleid: interrupted-exception-swallowed
            } catch (InterruptedException e) {
                break;
            }
        }
    }

    public static void main(String[] args) {
        startDispatcher();
        // Keep the process alive until it is told to stop.
        while (true) {
            try {
                TimeUnit.HOURS.sleep(1);
            // ok: interrupted-exception-swallowed
            } catch (InterruptedException e) {
                break;
            }
        }
        stopDispatcher();
    }
    private void watchScheduler(Future<?> handle) {
        // A one-off watcher thread: the try is its last statement (comments after it aside).
        Thread.ofVirtual().name("scheduler-listener").start(() -> {
            try {
                handle.get();
            // ok: interrupted-exception-swallowed
            } catch (ExecutionException | InterruptedException e) {
                log.error("scheduler stopped", e);
            }
            // The thread ends here.
            // Nothing holds it.
        });
    }

    private void drainLater(java.util.concurrent.ExecutorService executor, long waitMillis) {
        executor.submit(() -> {
            try {
                Thread.sleep(waitMillis);
            // The handler ends the task.
            // ok: interrupted-exception-swallowed
            } catch (InterruptedException e) {
                return;
            }
            carrier.drain();
        });
    }

    private void pumpForever(java.util.concurrent.ExecutorService executor) {
        executor.submit(() -> {
            while (true) {
                try {
                    carrier.dispatch(queue.take());
                // The loop goes on: the pool's shutdownNow() interrupt is lost.
                // ruleid: interrupted-exception-swallowed
                } catch (InterruptedException e) {
                    log.warn("interrupted", e);
                }
            }
        });
    }

    static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        // Named for what it does: callers that need the interrupt use another helper.
        // ok: interrupted-exception-swallowed
        } catch (InterruptedException e) {
            log.debug("sleep interrupted");
        }
    }

    public static void premain(String agentArgs, java.lang.instrument.Instrumentation inst) {
        // A Java agent's entry point, on the main thread before the application starts.
        while (!Boolean.getBoolean("app.ready")) {
            try {
                Thread.sleep(5000);
            // The handler ends the agent's wait, as it would end main().
            // ok: interrupted-exception-swallowed
            } catch (InterruptedException e) {
                log.info("interrupted while waiting");
                return;
            }
        }
    }

    void awaitStop(java.util.concurrent.CountDownLatch stopped) {
        try {
            stopped.await(30, TimeUnit.SECONDS);
        // ok: interrupted-exception-swallowed
        } catch (InterruptedException e) { // NOSONAR: the stop path ends the process either way
            log.warn("interrupted while stopping");
        }
    }
}

class ActionWorker {

    private static final Logger log = LoggerFactory.getLogger(ActionWorker.class);
    private final BlockingQueue<Runnable> actions;
    private volatile boolean running = true;

    ActionWorker(BlockingQueue<Runnable> actions) {
        this.actions = actions;
    }

    Runnable dequeue() {
        try {
            return actions.take();
        // The handler stops the worker through a method that clears its running flag.
        // ok: interrupted-exception-swallowed
        } catch (InterruptedException e) {
            log.warn("interrupted, stopping");
            terminateNow();
            return null;
        }
    }

    Runnable poll() {
        try {
            return actions.poll(1, TimeUnit.SECONDS);
        // The method it calls only counts the miss: the interrupt is lost.
        // ruleid: interrupted-exception-swallowed
        } catch (InterruptedException e) {
            recordMiss();
            return null;
        }
    }

    Runnable next() {
        try {
            return actions.take();
        // The method it calls restores the interrupt itself.
        // ok: interrupted-exception-swallowed
        } catch (InterruptedException e) {
            handleInterruptedException();
            return null;
        }
    }

    private void terminateNow() {
        running = false;
    }

    private void handleInterruptedException() {
        log.warn("interrupted, shutting down");
        Thread.currentThread().interrupt();
    }

    private void recordMiss() {
        log.debug("poll missed");
    }
}

class PartitionReader {

    private static final Logger log = LoggerFactory.getLogger(PartitionReader.class);

    java.util.List<String> read(Future<java.util.List<String>> partitions) {
        try {
            return partitions.get(30, TimeUnit.SECONDS);
        // Guava's propagate always throws: the caller sees the failure.
        // ok: interrupted-exception-swallowed
        } catch (InterruptedException | ExecutionException | java.util.concurrent.TimeoutException e) {
            partitions.cancel(true);
            com.google.common.base.Throwables.propagate(e);
            return java.util.List.of();
        }
    }

    java.util.List<String> readOrEmpty(Future<java.util.List<String>> partitions) {
        try {
            return partitions.get(30, TimeUnit.SECONDS);
        // ruleid: interrupted-exception-swallowed
        } catch (InterruptedException | ExecutionException | java.util.concurrent.TimeoutException e) {
            partitions.cancel(true);
            log.warn("partitions not read", e);
            return java.util.List.of();
        }
    }
}

class BundleWatcher {

    private final java.util.concurrent.ScheduledExecutorService scheduler =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor();

    void destroy() {
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
                scheduler.shutdownNow();
            }
        // The awaitTermination idiom's fallback: the pool is stopped at once, as the interrupt asked.
        // ok: interrupted-exception-swallowed
        } catch (InterruptedException e) {
            scheduler.shutdownNow();
        }
    }

    void drain() {
        scheduler.shutdown();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        // ruleid: interrupted-exception-swallowed
        } catch (InterruptedException e) {
            log("drain interrupted; shutdownNow() skipped");
        }
    }

    java.sql.Connection connectWithRetries(int maxRetries, long retryWait) throws java.sql.SQLException {
        for (int attempt = 0; ; attempt++) {
            try {
                return java.sql.DriverManager.getConnection("jdbc:postgresql://db/app");
            } catch (java.sql.SQLException e) {
                if (attempt >= maxRetries) {
                    throw e;
                }
            }
            try {
                Thread.sleep(retryWait);
            // ruleid: interrupted-exception-swallowed
            } catch (Exception e) {
                // the thread was interrupted while waiting
            }
        }
    }

    void pause() {
        try {
            TimeUnit.SECONDS.sleep(1);
        // ruleid: interrupted-exception-swallowed
        } catch (Throwable t) {
            log("pause cut short");
        }
    }

    void pauseAndKeepInterrupt() {
        try {
            Thread.sleep(1000);
        // ok: interrupted-exception-swallowed
        } catch (Exception e) {
            Thread.currentThread().interrupt();
        }
    }

    void pauseThenWork() throws Exception {
        try {
            Thread.sleep(1000);
            java.nio.file.Files.delete(java.nio.file.Path.of("/tmp/lock"));
        // The try does more than sleep: which failure the catch is for is the swallowed-exception rule's call.
        // ok: interrupted-exception-swallowed
        } catch (Exception e) {
            log("cleanup failed");
        }
    }

    void drainBeforeDischarge(Future<?> pending) throws Exception {
        Exception failure = null;
        try {
            pending.get();
        // Kept and rethrown once the loop is done.
        // ok: interrupted-exception-swallowed
        } catch (InterruptedException e) {
            failure = e;
        }
        if (failure != null) {
            throw failure;
        }
    }

    void settleQueued(Future<?> pending, java.util.concurrent.atomic.AtomicReference<Exception> error) {
        try {
            pending.get();
        // ok: interrupted-exception-swallowed
        } catch (InterruptedException e) {
            error.set(e);
        } catch (ExecutionException e) {
            error.set(e);
        }
    }

    void releaseClaims(BlockingQueue<String> claims, Exception primary) throws Exception {
        try {
            claims.put("released");
        // ok: interrupted-exception-swallowed
        } catch (InterruptedException nested) {
            primary.addSuppressed(nested);
        }
        throw primary;
    }

    void putErrorThenReinterrupt(BlockingQueue<String> errors) {
        try {
            try {
                errors.put("error");
            // The finally sets the flag again.
            // ok: interrupted-exception-swallowed
            } catch (InterruptedException errorEx) {
                log("interrupted while erroring");
            }
        } finally {
            Thread.currentThread().interrupt();
        }
    }

    public void prepareWorkerForGracefulShutdown(Future<?> drain) {
        try {
            drain.get(30, TimeUnit.SECONDS);
        // ok: interrupted-exception-swallowed
        } catch (InterruptedException e) {
            log("graceful shutdown interrupted");
        } catch (Exception e) {
            log("graceful shutdown failed");
        }
    }

    private io.nats.client.Connection inbox;

    public void close() throws Exception {
        try {
            inbox.close();
        // A resource closed in the middle of the program's life: the caller's interrupt is lost.
        // ruleid: interrupted-exception-swallowed
        } catch (InterruptedException e) {
            log("closing the inbox was interrupted");
        }
    }

    void pollInventory(BlockingQueue<String> updates) {
        try {
            updates.take();
        // Logged, not kept: the exception goes no further.
        // ruleid: interrupted-exception-swallowed
        } catch (InterruptedException e) {
            System.err.println("poll interrupted: " + e);
        }
    }

    void pollPrices(BlockingQueue<String> updates) {
        String last = null;
        try {
            last = updates.take();
        // ruleid: interrupted-exception-swallowed
        } catch (InterruptedException e) {
            last = "none";
        }
        log(last);
    }

    private void log(String message) {
        System.err.println(message);
    }
}
