using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Contrib.WaitAndRetry;
using Polly.Retry;

namespace Orders.Payments;

public static class PaymentResilience
{
    public static ResiliencePipeline Charge() => new ResiliencePipelineBuilder()
        // ruleid: retry-without-jitter
        .AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = 4,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(500),
        })
        .Build();

    public static void Register(IServiceCollection services) =>
        services.AddHttpClient("ledger")
            .AddStandardResilienceHandler(o =>
            {
                // ruleid: retry-without-jitter
                o.Retry.UseJitter = false;
            });

    public static IAsyncPolicy<HttpResponseMessage> RefundPolicy() =>
        Policy<HttpResponseMessage>.Handle<HttpRequestException>()
            // ruleid: retry-without-jitter
            .WaitAndRetryAsync(5, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));

    public static async Task PushInvoiceAsync(Func<Task> push, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                await push();
                return;
            }
            catch (HttpRequestException)
            {
                // ruleid: retry-without-jitter
                await Task.Delay(TimeSpan.FromMilliseconds(100 * Math.Pow(2, attempt)), ct);
            }
        }
    }

    public static ResiliencePipeline Capture() => new ResiliencePipelineBuilder()
        // ok: retry-without-jitter
        .AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = 4,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(500),
        })
        .Build();

    public static IAsyncPolicy<HttpResponseMessage> VoidPolicy() =>
        Policy<HttpResponseMessage>.Handle<HttpRequestException>()
            // ok: retry-without-jitter
            .WaitAndRetryAsync(Backoff.DecorrelatedJitterBackoffV2(TimeSpan.FromMilliseconds(500), 5));

    public static ResiliencePipeline Poll() => new ResiliencePipelineBuilder()
        // A constant delay is not an exponential backoff.
        // ok: retry-without-jitter
        .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 4, Delay = TimeSpan.FromSeconds(1) })
        .Build();

    public static async Task PushReceiptAsync(Func<Task> push, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                await push();
                return;
            }
            catch (HttpRequestException)
            {
                var backoff = 100 * Math.Pow(2, attempt);
                // ok: retry-without-jitter
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * backoff), ct);
            }
        }
    }
    public static string ReadConfig(string path)
    {
        // A config file an editor may hold open: a local read, nothing remote is retried.
        for (var runCount = 0; ; runCount++)
        {
            try
            {
                return File.ReadAllText(path);
            }
            catch (IOException) when (runCount < 3)
            {
                // ok: retry-without-jitter
                Thread.Sleep(TimeSpan.FromSeconds(Math.Pow(2, runCount)));
            }
        }
    }

    public static async Task<string> DownloadConfigAsync(HttpClient http, string url, string path)
    {
        for (var runCount = 0; ; runCount++)
        {
            try
            {
                var text = await http.GetStringAsync(url);
                File.WriteAllText(path, text);
                return text;
            }
            catch (IOException) when (runCount < 3)
            {
                // The same retry around a download: the waves reach the server.
                // ruleid: retry-without-jitter
                await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, runCount)));
            }
        }
    }
}
