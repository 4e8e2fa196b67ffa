using System;
using Amazon.Runtime;
using Microsoft.Extensions.Configuration;
using Stripe;

namespace Orders.Billing;

public class BillingSetup
{
    // ruleid: hardcoded-secret
    private const string SendGridKey = "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";

    public static void Configure()
    {
        // ruleid: hardcoded-secret
        StripeConfiguration.ApiKey = "sk_live_4eC39HqLyjWDarjtT7zX9q2V";
    }

    public static AWSCredentials Credentials(string secret) =>
        // ruleid: hardcoded-secret
        new BasicAWSCredentials("AKIA2JQ7H4XWZ6PLMN3R", secret);

    // ruleid: hardcoded-secret
    private const string SigningKey = @"-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7q2w3e4r5t6y7u8i9o0
-----END PRIVATE KEY-----";

    public static void ConfigureFrom(IConfiguration config)
    {
        // ok: hardcoded-secret
        StripeConfiguration.ApiKey = config["Stripe:ApiKey"];
    }

    // ok: hardcoded-secret
    private const string DocsKeyId = "AKIAIOSFODNN7EXAMPLE";

    // ok: hardcoded-secret
    private const string PemHeader = "-----BEGIN RSA PRIVATE KEY-----";

    // ok: hardcoded-secret
    private const string TestKey = "sk_test_4eC39HqLyjWDarjtT7zX9q2V";
}
