package com.acme.orders.clients;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.apache.http.impl.nio.client.CloseableHttpAsyncClient;
import org.apache.http.impl.nio.client.HttpAsyncClients;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.springframework.context.annotation.Bean;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.web.client.RestTemplate;

public class ShippingClient {

    private static final OkHttpClient SHARED = new OkHttpClient();

    private final OkHttpClient okHttp;
    private final HttpClient http;
    private RestTemplate lazyRest;

    public ShippingClient(OkHttpClient okHttp) {
        this.okHttp = okHttp;
        // ok: http-client-per-call
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    public String rates(String postcode) throws IOException {
        // ruleid: http-client-per-call
        OkHttpClient client = new OkHttpClient();
        Request request = new Request.Builder().url("https://shipping.internal/rates/" + postcode).build();
        try (Response response = client.newCall(request).execute()) {
            return response.body().string();
        }
    }

    public String track(String trackingId) throws Exception {
        // ruleid: http-client-per-call
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://shipping.internal/track/" + trackingId))
                .timeout(Duration.ofSeconds(5))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    public int label(String shipmentId) throws IOException {
        // ruleid: http-client-per-call
        try (CloseableHttpClient client = HttpClients.createDefault()) {
            return client.execute(new HttpGet("https://shipping.internal/labels/" + shipmentId), r -> r.getCode());
        }
    }

    public String carriers() {
        // ruleid: http-client-per-call
        return new RestTemplate(new HttpComponentsClientHttpRequestFactory()).getForObject("https://shipping.internal/carriers", String.class);
    }

    public String regions() {
        // The default factory's HttpURLConnections share the JVM's keep-alive cache: nothing is lost per call.
        // ok: http-client-per-call
        return new RestTemplate().getForObject("https://shipping.internal/regions", String.class);
    }

    public int converterCount() {
        // Built only to read the default converter list: it sends nothing.
        // ok: http-client-per-call
        return new RestTemplate().getMessageConverters().size();
    }

    public String zones() throws IOException {
        // ruleid: http-client-per-call
        OkHttpClient client = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(5)).build();
        try (Response response = client.newCall(new Request.Builder().url("https://shipping.internal/zones").build()).execute()) {
            return response.body().string();
        }
    }

    // --- the correct shapes ---

    public String ratesShared(String postcode) throws IOException {
        Request request = new Request.Builder().url("https://shipping.internal/rates/" + postcode).build();
        try (Response response = okHttp.newCall(request).execute()) {
            return response.body().string();
        }
    }

    public String slowReport() throws IOException {
        // newBuilder() on an existing client shares its pool and dispatcher.
        // ok: http-client-per-call
        OkHttpClient slow = okHttp.newBuilder().readTimeout(Duration.ofSeconds(60)).build();
        try (Response response = slow.newCall(new Request.Builder().url("https://shipping.internal/report").build()).execute()) {
            return response.body().string();
        }
    }

    @Bean
    public RestTemplate shippingRestTemplate() {
        // ok: http-client-per-call
        return new RestTemplate();
    }

    static OkHttpClient buildClient() {
        // ok: http-client-per-call
        return new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(5)).build();
    }

    private RestTemplate rest() {
        if (lazyRest == null) {
            // ok: http-client-per-call
            lazyRest = new RestTemplate();
        }
        return lazyRest;
    }

    private final org.apache.http.nio.conn.NHttpClientConnectionManager asyncPool;

    private org.apache.http.nio.client.HttpAsyncClient asyncClient() {
        // The connection manager (the pool) is a field shared by every client built here.
        // ok: http-client-per-call
        CloseableHttpAsyncClient client = HttpAsyncClients.custom().setConnectionManager(asyncPool).build();
        client.start();
        return client;
    }
}
