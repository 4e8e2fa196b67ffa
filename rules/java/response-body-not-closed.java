package com.example.quotes;

import java.io.IOException;
import java.io.InputStream;

import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.apache.http.HttpEntity;
import org.apache.http.HttpResponse;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.util.EntityUtils;

public class QuoteClient {
    private final OkHttpClient client = new OkHttpClient();
    private final CloseableHttpClient http;

    public QuoteClient(CloseableHttpClient http) {
        this.http = http;
    }

    public String etag(String url) throws IOException {
        Request request = new Request.Builder().url(url).head().build();
        // ruleid: response-body-not-closed
        Response response = client.newCall(request).execute();
        if (!response.isSuccessful()) {
            throw new IOException("unexpected status " + response.code());
        }
        return response.header("ETag");
    }

    public int status(String url) throws IOException {
        // ruleid: response-body-not-closed
        CloseableHttpResponse response = http.execute(new HttpGet(url));
        return response.getStatusLine().getStatusCode();
    }

    public Quote quote(String url) throws IOException {
        // The entity's stream is handed out unread, wrapped in another object: the connection stays out.
        // ruleid: response-body-not-closed
        HttpResponse response = http.execute(new HttpGet(url));
        return new Quote(response.getEntity() == null ? null : response.getEntity().getContent(), response.getStatusLine().getStatusCode());
    }

    public String body(String url) throws IOException {
        Request request = new Request.Builder().url(url).build();
        // string() reads the body to its end and closes it.
        // ok: response-body-not-closed
        Response response = client.newCall(request).execute();
        return response.body().string();
    }

    public String closed(String url) throws IOException {
        Request request = new Request.Builder().url(url).build();
        // ok: response-body-not-closed
        try (Response response = client.newCall(request).execute()) {
            return response.header("ETag");
        }
    }

    public String consumed(String url) throws IOException {
        // ok: response-body-not-closed
        CloseableHttpResponse response = http.execute(new HttpGet(url));
        return EntityUtils.toString(response.getEntity());
    }

    public String consumedThroughItsEntity(String url) throws IOException {
        // ok: response-body-not-closed
        CloseableHttpResponse response = http.execute(new HttpGet(url));
        HttpEntity entity = response.getEntity();
        if (entity == null) {
            return null;
        }
        return EntityUtils.toString(entity);
    }

    public int closedLater(String url) throws IOException {
        // ok: response-body-not-closed
        CloseableHttpResponse response = http.execute(new HttpGet(url));
        try {
            return response.getStatusLine().getStatusCode();
        } finally {
            response.close();
        }
    }

    public Response raw(String url) throws IOException {
        // The caller gets the response and closes it.
        // ok: response-body-not-closed
        Response response = client.newCall(new Request.Builder().url(url).build()).execute();
        return response;
    }

    public void forward(String url, ResponseSink sink) throws IOException {
        // ok: response-body-not-closed
        HttpResponse response = http.execute(new HttpGet(url));
        sink.accept(response);
    }

    interface ResponseSink {
        void accept(HttpResponse response);
    }

    record Quote(InputStream body, int status) {}
}
