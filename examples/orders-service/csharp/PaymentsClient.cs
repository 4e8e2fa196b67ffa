using System;
using System.Net.Http;
using System.Net.Http.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Polly;
using Polly.Retry;

namespace Orders.Api;

// A typed client for the payments API.
public sealed class PaymentsClient
{
    private readonly HttpClient _http;

    public PaymentsClient(HttpClient http) => _http = http;

    public async Task<decimal> GetBalanceAsync(string customerId, CancellationToken ct) =>
        await _http.GetFromJsonAsync<decimal>($"/balances/{customerId}", ct);

    public async Task CaptureAsync(string orderId, CancellationToken ct)
    {
        var response = await _http.PostAsync($"/captures/{orderId}", content: null, ct);
        response.EnsureSuccessStatusCode();
    }
}

public static class HttpRegistration
{
    public static IServiceCollection AddOrderClients(this IServiceCollection services)
    {
        // GAP: no timeout at all for the legacy ledger, retried at a fixed 2 s rate,
        // and the certificate check switched off "for now".
        services.AddHttpClient("ledger", c =>
            {
                c.BaseAddress = new Uri("https://ledger.internal");
                c.Timeout = Timeout.InfiniteTimeSpan;
            })
            .ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler
            {
                ServerCertificateCustomValidationCallback = (message, cert, chain, errors) => true,
            })
            .AddPolicyHandler(Policy<HttpResponseMessage>
                .Handle<HttpRequestException>()
                .WaitAndRetryAsync(5, _ => TimeSpan.FromSeconds(2)));

        // CORRECT: the standard resilience handler owns the timeouts (attempt 10 s, total 30 s),
        // retries with exponential backoff and jitter, and breaks the circuit.
        services.AddHttpClient<PaymentsClient>(c =>
            {
                c.BaseAddress = new Uri("https://payments.internal");
                c.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddStandardResilienceHandler();

        services.AddHttpClient("inventory", c =>
        {
            c.BaseAddress = new Uri("https://inventory.internal");
            c.Timeout = TimeSpan.FromSeconds(10);
        });

        // CORRECT: a pipeline for non-HTTP work with a capped, exponential, jittered retry.
        services.AddResiliencePipeline("outbox", b => b.AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = 5,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(200),
        }));
        return services;
    }
}
