package com.acme.orders.clients;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import com.sun.jersey.api.client.Client;
import com.sun.jersey.api.client.config.ClientConfig;
import com.sun.jersey.api.client.config.DefaultClientConfig;
import hudson.ProxyConfiguration;
import okhttp3.OkHttpClient;
import org.apache.commons.httpclient.methods.PostMethod;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.springframework.boot.web.client.RestTemplateBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.web.client.RestTemplate;

@Configuration
public class HttpClientsConfig {

    @Bean
    public RestTemplate paymentsRestTemplate() {
        // ruleid: http-client-without-timeout
        return new RestTemplate();
    }

    @Bean
    public HttpClient inventoryHttpClient() {
        // ruleid: http-client-without-timeout
        return HttpClient.newHttpClient();
    }

    @Bean
    public HttpClient shippingHttpClient() {
        // ruleid: http-client-without-timeout
        return HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    @Bean
    public CloseableHttpClient catalogHttpClient() {
        // ruleid: http-client-without-timeout
        return HttpClients.createDefault();
    }

    @Bean
    public CloseableHttpClient pricingHttpClient() {
        // ruleid: http-client-without-timeout
        return HttpClients.custom().setUserAgent("orders-service").build();
    }

    @Bean
    public CloseableHttpClient pushHttpClient(PoolingHttpClientConnectionManager pool) {
        // A pooling connection manager with default settings bounds nothing.
        // ruleid: http-client-without-timeout
        return HttpClients.custom().setConnectionManager(pool).evictIdleConnections(30, TimeUnit.SECONDS).build();
    }

    public String fetchTrackingPage(String trackingUrl) throws Exception {
        // ruleid: http-client-without-timeout
        HttpURLConnection conn = (HttpURLConnection) new URL(trackingUrl).openConnection();
        conn.setRequestMethod("GET");
        try (InputStream in = conn.getInputStream()) {
            return new String(in.readAllBytes());
        }
    }

    @Bean
    public RestTemplate customersRestTemplate(RestTemplateBuilder builder) {
        // ok: http-client-without-timeout
        return builder.setConnectTimeout(Duration.ofSeconds(2)).setReadTimeout(Duration.ofSeconds(5)).build();
    }

    @Bean
    public RestTemplate loyaltyRestTemplate() {
        SimpleClientHttpRequestFactory factory = new SimpleClientHttpRequestFactory();
        factory.setConnectTimeout(2_000);
        factory.setReadTimeout(5_000);
        // ok: http-client-without-timeout
        return new RestTemplate(factory);
    }

    @Bean
    public RestTemplate fraudRestTemplate(SimpleClientHttpRequestFactory boundedFactory) {
        // ok: http-client-without-timeout
        RestTemplate rest = new RestTemplate();
        rest.setRequestFactory(boundedFactory);
        return rest;
    }

    @Bean
    public HttpClient warehouseHttpClient() {
        // ok: http-client-without-timeout
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    @Bean
    public OkHttpClient notificationsClient() {
        // OkHttp defaults to 10 s connect/read/write timeouts.
        // ok: http-client-without-timeout
        return new OkHttpClient();
    }

    @Bean
    public CloseableHttpClient taxHttpClient() {
        RequestConfig config = RequestConfig.custom().setResponseTimeout(5, java.util.concurrent.TimeUnit.SECONDS).build();
        // ok: http-client-without-timeout
        return HttpClients.custom().setDefaultRequestConfig(config).build();
    }

    public org.apache.http.impl.client.CloseableHttpClient discoveryHttpClient() {
        // Written fully qualified beside the 5.x import: still no response timeout.
        // ruleid: http-client-without-timeout
        return org.apache.http.impl.client.HttpClients.createDefault();
    }

    public Client policyAdminClient() {
        // Jersey 1: connect and read timeouts default to infinite.
        ClientConfig config = new DefaultClientConfig();
        // ruleid: http-client-without-timeout
        return Client.create(config);
    }

    public Client auditClient(int connectMs, int readMs) {
        // ok: http-client-without-timeout
        Client client = Client.create(new DefaultClientConfig());
        client.setConnectTimeout(connectMs);
        client.setReadTimeout(readMs);
        return client;
    }

    public int probe(String healthUrl) throws Exception {
        // ok: http-client-without-timeout
        HttpURLConnection conn = (HttpURLConnection) new URL(healthUrl).openConnection();
        conn.setConnectTimeout(1_000);
        conn.setReadTimeout(2_000);
        return conn.getResponseCode();
    }

    public String readConfig(URL configUrl) throws Exception {
        // A configurator reading its config file or class-path resource by URL.
        // ok: http-client-without-timeout
        URLConnection connection = configUrl.openConnection();
        connection.setUseCaches(false);
        try (InputStream in = connection.getInputStream()) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    public InputStream bundledSchema() throws Exception {
        // ok: http-client-without-timeout
        return getClass().getResource("/schema/order.json").openConnection().getInputStream();
    }

    public long bundleTimestamp() throws Exception {
        // The jar or folder this class was loaded from.
        // ok: http-client-without-timeout
        return HttpClientsConfig.class.getProtectionDomain().getCodeSource().getLocation().openConnection().getLastModified();
    }

    public long deploymentTimestamp() throws Exception {
        URL location = HttpClientsConfig.class.getProtectionDomain().getCodeSource().getLocation();
        // ok: http-client-without-timeout
        URLConnection connection = location.openConnection();
        return connection.getLastModified();
    }

    public InputStream archiveEntry(String archiveUrl, String entry) throws Exception {
        URL url = new URL(archiveUrl + "!/" + entry);
        // ok: http-client-without-timeout
        return url.openConnection().getInputStream();
    }

    public InputStream virtualFile(String path) throws Exception {
        // ok: http-client-without-timeout
        return new URL("vfs:" + path).openConnection().getInputStream();
    }

    public InputStream localFile(String path) throws Exception {
        // ok: http-client-without-timeout
        return new URL("file", "", path).openConnection().getInputStream();
    }

    public String fetchRoute(String siteUrl) throws Exception {
        // A `#!/` client-side route of a web page is still a remote address.
        URL url = new URL(siteUrl + "/#!/orders");
        // ruleid: http-client-without-timeout
        HttpURLConnection conn = (HttpURLConnection) url.openConnection();
        try (InputStream in = conn.getInputStream()) {
            return new String(in.readAllBytes());
        }
    }

    public int notifyTeams(String webhookUrl) throws Exception {
        // Commons HttpClient 3: no connect or socket timeout until its params set one.
        // ruleid: http-client-without-timeout
        org.apache.commons.httpclient.HttpClient client = new org.apache.commons.httpclient.HttpClient();
        return client.executeMethod(new PostMethod(webhookUrl));
    }

    public org.eclipse.jetty.client.HttpClient jettyClient() {
        // Jetty's client of the same simple name is another library.
        // ok: http-client-without-timeout
        return new org.eclipse.jetty.client.HttpClient();
    }

    public String latestPluginVersion(URL updateSite) throws Exception {
        // Jenkins opens it through the proxy with a connect timeout, but reads wait forever.
        // ruleid: http-client-without-timeout
        URLConnection conn = ProxyConfiguration.open(updateSite);
        try (InputStream in = conn.getInputStream()) {
            return new String(in.readAllBytes());
        }
    }

    public String latestPluginVersionBounded(URL updateSite) throws Exception {
        // ok: http-client-without-timeout
        URLConnection conn = ProxyConfiguration.open(updateSite);
        conn.setReadTimeout(30_000);
        try (InputStream in = conn.getInputStream()) {
            return new String(in.readAllBytes());
        }
    }

    public java.util.List<org.springframework.http.converter.HttpMessageConverter<?>> defaultConverters() {
        // Built only to read Spring's default converter list: it never sends a request.
        // ok: http-client-without-timeout
        return new RestTemplate().getMessageConverters();
    }
}
