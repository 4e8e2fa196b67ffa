package com.acme.orders.clients;

import io.github.resilience4j.timelimiter.annotation.TimeLimiter;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

public class InventoryClient {

    private final HttpClient http;
    private final String baseUrl;

    public InventoryClient(HttpClient http, String baseUrl) {
        this.http = http;
        this.baseUrl = baseUrl;
    }

    public String stockLevel(String sku) throws Exception {
        // ruleid: http-call-without-timeout
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/stock/" + sku)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    public int reserve(String sku, int quantity) throws Exception {
        // ruleid: http-call-without-timeout
        HttpRequest request = HttpRequest.newBuilder()
                .uri(URI.create(baseUrl + "/reservations"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"sku\":\"" + sku + "\",\"qty\":" + quantity + "}"))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    public byte[] downloadPriceFeed(String feedUrl) throws Exception {
        // ruleid: http-call-without-timeout
        try (InputStream in = new URL(feedUrl).openStream()) {
            return in.readAllBytes();
        }
    }

    public String stockLevelBounded(String sku) throws Exception {
        // ok: http-call-without-timeout
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/stock/" + sku))
                .timeout(Duration.ofSeconds(5))
                .GET()
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    public CompletableFuture<String> stockLevelAsync(String sku) {
        // ok: http-call-without-timeout
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/stock/" + sku)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(HttpResponse::body)
                .orTimeout(5, TimeUnit.SECONDS);
    }

    @TimeLimiter(name = "inventory")
    public CompletableFuture<String> stockLevelLimited(String sku) {
        // ok: http-call-without-timeout
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/stock/" + sku)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(HttpResponse::body);
    }

    public void stubFeed(URL url, InputStream canned) throws Exception {
        // A Mockito stubbing is not a call.
        // ok: http-call-without-timeout
        org.mockito.Mockito.when(url.openStream()).thenReturn(canned);
    }

    public byte[] schemaFromClasspath(String name) throws Exception {
        URL schema = getClass().getClassLoader().getResource(name);
        // ok: http-call-without-timeout
        try (InputStream in = schema.openStream()) {
            return in.readAllBytes();
        }
    }

    public byte[] ownManifest() throws Exception {
        URL location = getClass().getProtectionDomain().getCodeSource().getLocation();
        // The class's own jar, read through a variable: no network.
        // ok: http-call-without-timeout
        try (InputStream in = location.openStream()) {
            return in.readAllBytes();
        }
    }

    private static java.util.Properties loadFromUrl(URL url) {
        java.util.Properties properties = new java.util.Properties();
        // A properties file found on the class path.
        // ok: http-call-without-timeout
        try (InputStream is = url.openStream()) {
            properties.load(is);
        } catch (java.io.IOException e) {
            return new java.util.Properties();
        }
        return properties;
    }

    public String buildVersion(String jarUrl) throws Exception {
        // ok: http-call-without-timeout
        try (InputStream is = new URL(jarUrl + "!/META-INF/MANIFEST.MF").openStream()) {
            return new java.util.jar.Manifest(is).getMainAttributes().getValue("Implementation-Version");
        }
    }

    public byte[] bundledDefaults() throws Exception {
        // ok: http-call-without-timeout
        try (InputStream in = getClass().getResource("/defaults/stock.json").openStream()) {
            return in.readAllBytes();
        }
    }

    public java.util.List<String> allowListEntries(ClassLoader loader) throws Exception {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (URL u : java.util.Collections.list(loader.getResources("META-INF/allow-list"))) {
            // ok: http-call-without-timeout
            try (InputStream in = u.openStream()) {
                out.add(new String(in.readAllBytes()));
            }
        }
        return out;
    }

    public byte[] trustCertificates(String trustCertPath) throws Exception {
        // A configured certificate file, resolved to a file: URL.
        // ok: http-call-without-timeout
        try (InputStream in = java.nio.file.Paths.get(trustCertPath).toUri().toURL().openStream()) {
            return in.readAllBytes();
        }
    }

    public void storeUpload(org.apache.commons.fileupload.FileItemStream file, String key) throws Exception {
        // The multipart upload's own body, not a URL.
        // ok: http-call-without-timeout
        storage.putObject(bucket, key, file.openStream());
    }

    public byte[] extensionDescriptor(URL resourceUrl) throws Exception {
        // ok: http-call-without-timeout
        try (InputStream in = resourceUrl.openStream()) {
            return in.readAllBytes();
        }
    }

    public java.security.KeyStore clientKeyStore(URL keyStoreLocation, char[] password) throws Exception {
        java.security.KeyStore keyStore = java.security.KeyStore.getInstance("PKCS12");
        // ok: http-call-without-timeout
        keyStore.load(keyStoreLocation.openStream(), password);
        return keyStore;
    }

    public java.util.Collection<? extends java.security.cert.Certificate> trustedCerts(URL certLocation) throws Exception {
        java.security.cert.CertificateFactory factory = java.security.cert.CertificateFactory.getInstance("X.509");
        // ok: http-call-without-timeout
        return factory.generateCertificates(certLocation.openStream());
    }

    public byte[] bundledTemplate(String location) throws Exception {
        URL url = org.springframework.util.ResourceUtils.getURL(location);
        // ok: http-call-without-timeout
        try (InputStream in = url.openStream()) {
            return in.readAllBytes();
        }
    }

    public byte[] remotePage(String path) throws Exception {
        // A URL given as a path string may still be http://.
        // ruleid: http-call-without-timeout
        try (InputStream in = new URL(path).openStream()) {
            return in.readAllBytes();
        }
    }

    public byte[] priceFeed(String feedHost) throws Exception {
        URL feed = new URL("https://" + feedHost + "/prices.csv");
        // ruleid: http-call-without-timeout
        try (InputStream in = feed.openStream()) {
            return in.readAllBytes();
        }
    }
}
