package com.acme.orders.payments;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.springframework.boot.web.client.RestTemplateBuilder;
import org.springframework.retry.annotation.Backoff;
import org.springframework.retry.annotation.Retryable;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestTemplate;

/** Talks to the payment gateway and the fraud service. */
@Component
public class PaymentClient {

    private static final String GATEWAY = "https://payments.internal";

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final RestTemplate fraud;

    // Gap: no expiry, no size bound: every card fingerprint ever seen stays on the heap.
    private final Cache<String, RiskScore> riskScores = Caffeine.newBuilder().recordStats().build();
    private final Cache<String, Merchant> merchants = Caffeine.newBuilder()
            .maximumSize(5_000)
            .expireAfterWrite(Duration.ofMinutes(10))
            .build();

    public PaymentClient(RestTemplateBuilder builder) {
        this.fraud = builder
                .setConnectTimeout(Duration.ofSeconds(2))
                .setReadTimeout(Duration.ofSeconds(3))
                .build();
    }

    /** Gap: no request timeout, so a stalled gateway pins the request thread forever. */
    public String authorize(String orderId, long amountCents) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(GATEWAY + "/authorizations"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"order\":\"" + orderId + "\",\"amount\":" + amountCents + "}"))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Correct: bounded request, capped retries with exponential, jittered backoff. */
    @Retryable(retryFor = IOException.class, maxAttempts = 3,
            backoff = @Backoff(delay = 200, multiplier = 2, maxDelay = 2000, random = true))
    public String capture(String authorizationId) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(GATEWAY + "/captures/" + authorizationId))
                .timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Gap: fixed 1 s delay between attempts (the @Retryable default). */
    @Retryable(retryFor = IOException.class, maxAttempts = 4)
    public String refund(String captureId) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(GATEWAY + "/refunds/" + captureId))
                .timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    public RiskScore risk(String cardFingerprint) {
        return riskScores.get(cardFingerprint,
                fp -> fraud.getForObject("http://fraud.internal/scores/{fp}", RiskScore.class, fp));
    }

    /** Gap: a new RestTemplate (no timeouts, new connection pool) on every call. */
    public Merchant merchant(String merchantId) {
        return merchants.get(merchantId, id -> {
            RestTemplate rest = new RestTemplate();
            return rest.getForObject("http://merchants.internal/merchants/{id}", Merchant.class, id);
        });
    }
}
