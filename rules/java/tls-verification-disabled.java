package com.acme.orders.clients;

import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.File;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;
import org.apache.hc.client5.http.ssl.DefaultHostnameVerifier;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;
import org.apache.hc.client5.http.ssl.SSLConnectionSocketFactory;
import org.apache.hc.client5.http.ssl.TrustAllStrategy;
import org.apache.hc.core5.ssl.SSLContexts;

public class PartnerTls {

    static class TrustEverything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        // ruleid: tls-verification-disabled
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // accept the partner's self-signed certificate
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    static class AnyHost implements HostnameVerifier {
        @Override
        // ruleid: tls-verification-disabled
        public boolean verify(String hostname, SSLSession session) {
            return true;
        }
    }

    public SSLConnectionSocketFactory partnerSocketFactory() throws Exception {
        // ruleid: tls-verification-disabled
        SSLContext ctx = SSLContexts.custom().loadTrustMaterial(null, TrustAllStrategy.INSTANCE).build();
        // ruleid: tls-verification-disabled
        return new SSLConnectionSocketFactory(ctx, NoopHostnameVerifier.INSTANCE);
    }

    public OkHttpClient partnerClient(OkHttpClient base) {
        return base.newBuilder()
                // ruleid: tls-verification-disabled
                .hostnameVerifier((host, session) -> true)
                .build();
    }

    public void legacyDefaults() {
        // ruleid: tls-verification-disabled
        HttpsURLConnection.setDefaultHostnameVerifier((h, s) -> {
            return true;
        });
    }

    // --- the correct shapes ---

    static class PinnedTrust implements X509TrustManager {
        private final X509TrustManager delegate;

        PinnedTrust(X509TrustManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        // ok: tls-verification-disabled
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }

    public SSLConnectionSocketFactory internalSocketFactory(KeyStore truststore) throws Exception {
        // ok: tls-verification-disabled
        SSLContext ctx = SSLContexts.custom().loadTrustMaterial(truststore, null).build();
        // ok: tls-verification-disabled
        return new SSLConnectionSocketFactory(ctx, new DefaultHostnameVerifier());
    }

    // A server context that never asks for client certificates: its trust manager is never consulted.
    public SslContext grpcServerContext(File cert, File key) throws Exception {
        return GrpcSslContexts.forServer(cert, key)
                // ok: tls-verification-disabled
                .trustManager(InsecureTrustManagerFactory.INSTANCE)
                .clientAuth(ClientAuth.NONE)
                .build();
    }

    // A client context keeps the finding, and so does a server context that asks for client certificates.
    public SslContext brokerClientContext() throws Exception {
        return SslContextBuilder.forClient()
                // ruleid: tls-verification-disabled
                .trustManager(InsecureTrustManagerFactory.INSTANCE)
                .build();
    }

    public SslContext mutualTlsServerContext(File cert, File key) throws Exception {
        return SslContextBuilder.forServer(cert, key)
                // ruleid: tls-verification-disabled
                .trustManager(InsecureTrustManagerFactory.INSTANCE)
                .clientAuth(ClientAuth.REQUIRE)
                .build();
    }

    public OkHttpClient internalClient(OkHttpClient base, HostnameVerifier strict) {
        return base.newBuilder()
                // ok: tls-verification-disabled
                .hostnameVerifier((host, session) -> strict.verify(host, session) && host.endsWith(".acme.internal"))
                .build();
    }
}
