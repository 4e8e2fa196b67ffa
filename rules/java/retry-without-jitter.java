package com.acme.orders.payments;

import dev.failsafe.RetryPolicy;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.retry.annotation.Backoff;
import org.springframework.retry.annotation.Retryable;
import org.springframework.retry.backoff.ExponentialBackOffPolicy;
import org.springframework.retry.backoff.ExponentialRandomBackOffPolicy;
import org.springframework.retry.support.RetryTemplate;

public class PaymentRetries {

    RetryConfig chargeRetry() {
        return RetryConfig.custom()
            .maxAttempts(5)
            // ruleid: retry-without-jitter
            .intervalFunction(IntervalFunction.ofExponentialBackoff(Duration.ofMillis(500), 2.0))
            .build();
    }

    // ruleid: retry-without-jitter
    @Retryable(maxAttempts = 5, backoff = @Backoff(delay = 500, multiplier = 2))
    public void capture(String paymentId) {
        gateway.capture(paymentId);
    }

    RetryTemplate refundTemplate() {
        // ruleid: retry-without-jitter
        return RetryTemplate.builder().maxAttempts(5).exponentialBackoff(500, 2, 10_000).build();
    }

    RetryPolicy<Object> settlePolicy() {
        return RetryPolicy.builder()
            .handle(RuntimeException.class)
            // ruleid: retry-without-jitter
            .withBackoff(Duration.ofMillis(500), Duration.ofSeconds(30))
            .withMaxRetries(5)
            .build();
    }

    void pushInvoice(Runnable push) throws InterruptedException {
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                push.run();
                return;
            } catch (RuntimeException e) {
                // ruleid: retry-without-jitter
                Thread.sleep(100L << attempt);
            }
        }
    }

    RetryConfig refundRetry() {
        return RetryConfig.custom()
            .maxAttempts(5)
            // ok: retry-without-jitter
            .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(Duration.ofMillis(500), 2.0, 0.5))
            .build();
    }

    // ok: retry-without-jitter
    @Retryable(maxAttempts = 5, backoff = @Backoff(delay = 500, multiplier = 2, random = true))
    public void authorize(String paymentId) {
        gateway.authorize(paymentId);
    }

    ExponentialRandomBackOffPolicy voidPolicy() {
        // ok: retry-without-jitter
        return new ExponentialRandomBackOffPolicy();
    }

    RetryPolicy<Object> payoutPolicy() {
        return RetryPolicy.builder()
            .handle(RuntimeException.class)
            // ok: retry-without-jitter
            .withBackoff(Duration.ofMillis(500), Duration.ofSeconds(30))
            .withJitter(0.25)
            .withMaxRetries(5)
            .build();
    }

    void pushReceipt(Runnable push) throws InterruptedException {
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                push.run();
                return;
            } catch (RuntimeException e) {
                long base = 100L << attempt;
                // ok: retry-without-jitter
                Thread.sleep(ThreadLocalRandom.current().nextLong(base / 2, base));
            }
        }
    }

    RetryTemplate voidTemplate() {
        // ok: retry-without-jitter
        return RetryTemplate.builder().maxAttempts(5).exponentialBackoff(500, 2, 10_000, true).build();
    }
}
