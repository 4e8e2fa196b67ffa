package com.acme.orders.billing;

import com.stripe.Stripe;
import java.net.URI;
import java.net.http.HttpRequest;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

public class BillingConfig {

    // ruleid: hardcoded-secret
    private static final String SLACK_TOKEN = "xoxb-2048675309-4096170385529-Qx8Wc7Ev6Rb5Tn4Ym3Ul2Ik1";

    static {
        // ruleid: hardcoded-secret
        Stripe.apiKey = "sk_live_4eC39HqLyjWDarjtT7zX9q2V";
    }

    AwsBasicCredentials credentials(String secret) {
        // ruleid: hardcoded-secret
        return AwsBasicCredentials.create("AKIA2JQ7H4XWZ6PLMN3R", secret);
    }

    HttpRequest release(String tag) {
        return HttpRequest.newBuilder(URI.create("https://api.github.com/repos/acme/orders/releases"))
            // ruleid: hardcoded-secret
            .header("Authorization", "token ghp_Zq7Lm2Xc9Vb4Nw1Ks8Jd3Hf6Gt5Ry0Pu2Ei4")
            .build();
    }

    AwsBasicCredentials fromEnv() {
        // ok: hardcoded-secret
        return AwsBasicCredentials.create(System.getenv("AWS_ACCESS_KEY_ID"), System.getenv("AWS_SECRET_ACCESS_KEY"));
    }

    // ok: hardcoded-secret
    private static final String DOCS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";

    // ok: hardcoded-secret
    private static final String PEM_HEADER = "-----BEGIN PRIVATE KEY-----";

    // ok: hardcoded-secret
    private static final String TEST_KEY = "sk_test_4eC39HqLyjWDarjtT7zX9q2V";
}
