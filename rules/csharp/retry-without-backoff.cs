using System;
using System.Collections.Generic;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Retry;

namespace Orders.Payments
{
    public sealed class PaymentsClient
    {
        private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);
        private readonly HttpClient _http;

        public PaymentsClient(HttpClient http) => _http = http;

        public static IAsyncPolicy<HttpResponseMessage> LegacyPolicy() =>
            Policy<HttpResponseMessage>
                .Handle<HttpRequestException>()
                // ruleid: retry-without-backoff
                .WaitAndRetryAsync(3, (attempt, context) => TimeSpan.FromSeconds(2));

        public static ISyncPolicy SyncPolicy() =>
            // ruleid: retry-without-backoff
            Policy.Handle<TimeoutException>().WaitAndRetry(3, _ => TimeSpan.FromMilliseconds(250));

        public static IAsyncPolicy ImmediatePolicy() =>
            // ruleid: retry-without-backoff
            Policy.Handle<TimeoutException>().RetryAsync(3);

        public static ResiliencePipeline Pipeline() =>
            new ResiliencePipelineBuilder()
                // ruleid: retry-without-backoff
                .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 4, Delay = TimeSpan.FromSeconds(1) })
                .Build();

        public static void Register(IServiceCollection services)
        {
            services.AddHttpClient<PaymentsClient>()
                .AddStandardResilienceHandler(o =>
                {
                    // ruleid: retry-without-backoff
                    o.Retry.BackoffType = DelayBackoffType.Constant;
                });
        }

        public async Task<HttpResponseMessage> ChargeAsync(HttpRequestMessage request, CancellationToken ct)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return await _http.SendAsync(request, ct);
                }
                catch (HttpRequestException) when (attempt < 3)
                {
                    // ruleid: retry-without-backoff
                    await Task.Delay(1000, ct);
                }
            }
        }

        public async Task<string> RefundAsync(string id, CancellationToken ct)
        {
            var attempts = 0;
            while (true)
            {
                try
                {
                    return await _http.GetStringAsync($"/refunds/{id}", ct);
                }
                catch (HttpRequestException) when (++attempts < 5)
                {
                    // ruleid: retry-without-backoff
                    await Task.Delay(RetryDelay, ct);
                }
            }
        }

        public async Task<string> CaptureAsync(string id, CancellationToken ct)
        {
            // ruleid: retry-without-backoff
            for (var attempt = 0; attempt < 3; attempt++)
            {
                try
                {
                    return await _http.GetStringAsync($"/captures/{id}", ct);
                }
                catch (HttpRequestException) when (attempt < 2)
                {
                }
            }
            throw new InvalidOperationException("unreachable");
        }

        // --- correct code ---

        public static IAsyncPolicy<HttpResponseMessage> BackoffPolicy() =>
            Policy<HttpResponseMessage>
                .Handle<HttpRequestException>()
                // ok: retry-without-backoff
                .WaitAndRetryAsync(3, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));

        public static ResiliencePipeline GoodPipeline() =>
            new ResiliencePipelineBuilder()
                // ok: retry-without-backoff
                .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 4, BackoffType = DelayBackoffType.Exponential, UseJitter = true })
                .Build();

        public static void RegisterGood(IServiceCollection services)
        {
            services.AddHttpClient("payments")
                // HttpRetryStrategyOptions defaults to exponential backoff with jitter.
                // ok: retry-without-backoff
                .AddResilienceHandler("payments", b => b.AddRetry(new HttpRetryStrategyOptions { MaxRetryAttempts = 3 }));
        }

        public async Task<string> StatusAsync(string id, CancellationToken ct)
        {
            var delay = TimeSpan.FromMilliseconds(200);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return await _http.GetStringAsync($"/status/{id}", ct);
                }
                catch (HttpRequestException) when (attempt < 4)
                {
                    // ok: retry-without-backoff
                    await Task.Delay(delay * Math.Pow(2, attempt) + TimeSpan.FromMilliseconds(Random.Shared.Next(100)), ct);
                    // ok: retry-without-backoff
                    await Task.Delay(delay, ct);
                    delay *= 2;
                }
            }
        }
    }

    public sealed class ReconciliationWorker : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await ReconcileAsync(stoppingToken);
                }
                catch (HttpRequestException)
                {
                    // A poll interval after an error, not a retry of the failed call.
                    // ok: retry-without-backoff
                    await Task.Delay(TimeSpan.FromSeconds(30), stoppingToken);
                }
                await Task.Delay(TimeSpan.FromSeconds(30), stoppingToken);
            }
        }

        private static Task ReconcileAsync(CancellationToken ct) => Task.CompletedTask;

        public async Task<T> UpdateStateAsync<T>(Func<State, T> update, int retries, CancellationToken ct)
        {
            // Reload-and-reapply after losing an optimistic-concurrency race.
            // ok: retry-without-backoff
            for (var i = 0; i < retries; i++)
            {
                try
                {
                    var result = update(_state);
                    await _store.WriteAsync(_state, _version, ct);
                    return result;
                }
                catch (InconsistentStateException) when (i < retries - 1)
                {
                    (_state, _version) = await _store.ReadAsync(ct);
                }
            }
            return default!;
        }

        public async Task<string> FetchQuoteAsync(string sku, int retries, CancellationToken ct)
        {
            // ruleid: retry-without-backoff
            for (var attempt = 0; attempt < retries; attempt++)
            {
                try
                {
                    return await _http.GetStringAsync($"/quotes/{sku}", ct);
                }
                catch (HttpRequestException) when (attempt < retries - 1)
                {
                    _logger.LogWarning("Quote lookup failed, trying again");
                }
            }
            return string.Empty;
        }

        public static List<int> ParseAll(string csv)
        {
            var stringEntries = csv.Split(',');
            var values = new List<int>();
            // A loop over entries, skipping the bad ones: not a retry.
            // ok: retry-without-backoff
            for (var i = 0; i < stringEntries.Length; i++)
            {
                try
                {
                    values.Add(int.Parse(stringEntries[i]));
                }
                catch (FormatException)
                {
                    values.Add(0);
                }
            }
            return values;
        }

        public async Task InitializeTableAsync(TableClient table, CancellationToken startToken)
        {
            // A start-up wait bounded by the host's start token: the filter ends it when start-up is cancelled.
            while (true)
            {
                try
                {
                    await table.CreateIfNotExistsAsync(startToken);
                    return;
                }
                catch (Exception ex) when (!startToken.IsCancellationRequested)
                {
                    _logger.LogWarning(ex, "Table not reachable yet, retrying");
                    // ok: retry-without-backoff
                    await Task.Delay(TimeSpan.FromSeconds(1), startToken);
                }
            }
        }

        public async Task<CommandResult> NotifyCallbackAsync(ICommandRunner runner, object request, CancellationToken ct)
        {
            CommandResult result;
            var i = 0;
            // ruleid: retry-without-backoff
            do
            {
                result = await runner.ExecuteAsync(request, ct);
                if (result.Exception != null)
                    continue;
                break;
            } while (i++ < DefaultRetryLimit && ShouldRetry(result.Exception));
            return result;
        }

        public async Task<CommandResult> NotifyCallbackPacedAsync(ICommandRunner runner, object request, CancellationToken ct)
        {
            CommandResult result;
            var attempt = 0;
            // ok: retry-without-backoff
            do
            {
                result = await runner.ExecuteAsync(request, ct);
                if (result.Exception == null)
                    break;
                await Task.Delay(TimeSpan.FromMilliseconds(100 * Math.Pow(2, attempt)), ct);
            } while (attempt++ < DefaultRetryLimit);
            return result;
        }

        public async Task<Page> ReadAllPagesAsync(IPager pager, CancellationToken ct)
        {
            Page page;
            // Paging, not retrying.
            // ok: retry-without-backoff
            do
            {
                page = await pager.NextAsync(ct);
            } while (page.HasMore);
            return page;
        }

        private const int DefaultRetryLimit = 3;
        private static bool ShouldRetry(Exception? ex) => ex is not null and not ArgumentException;

        public async Task<string?> UpdateMetadataAsync(BlobClient blob, string key, string value, CancellationToken ct)
        {
            // ETag reload-and-reapply: a 412 means another writer won; the next pass re-reads the properties.
            // ok: retry-without-backoff
            for (var attempt = 0; attempt < 3; attempt++)
            {
                var properties = await blob.GetPropertiesAsync(cancellationToken: ct);
                var metadata = new Dictionary<string, string>(properties.Value.Metadata) { [key] = value };
                try
                {
                    var conditions = new BlobRequestConditions { IfMatch = properties.Value.ETag };
                    var result = await blob.SetMetadataAsync(metadata, conditions, ct);
                    return result.Value.ETag.ToString();
                }
                catch (RequestFailedException ex) when (ex.Status == 412)
                {
                    _logger.LogDebug("Metadata changed concurrently, re-reading");
                }
            }
            return null;
        }
    }
}

namespace Orders.Retries
{
    public sealed class CommandResult { public Exception? Exception { get; init; } }
    public interface ICommandRunner { Task<CommandResult> ExecuteAsync(object request, CancellationToken ct); }
    public sealed class Page { public bool HasMore { get; init; } }
    public interface IPager { Task<Page> NextAsync(CancellationToken ct); }
}


namespace Orders.Recursion
{
    public sealed class PeerClient
    {
        private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
        private string _token = "";

        public async Task<string> FetchPeersAsync(CancellationToken ct)
        {
            try
            {
                return await _http.GetStringAsync("https://peers/list", ct);
            }
            catch (HttpRequestException)
            {
                // ruleid: retry-without-backoff
                return await FetchPeersAsync(ct);
            }
        }

        public async Task PublishAsync(string body, CancellationToken ct)
        {
            try
            {
                await _http.PostAsync("https://bus/publish", new StringContent(body), ct);
            }
            catch (HttpRequestException)
            {
                // ruleid: retry-without-backoff
                await this.PublishAsync(body, ct);
            }
        }

        public string Status(string id)
        {
            try
            {
                return _http.GetStringAsync("https://status/" + id).GetAwaiter().GetResult();
            }
            catch (HttpRequestException)
            {
                // ruleid: retry-without-backoff
                return Status(id);
            }
        }

        public async Task<string> FetchPacedAsync(CancellationToken ct)
        {
            try
            {
                return await _http.GetStringAsync("https://peers/list", ct);
            }
            catch (HttpRequestException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1000)), ct);
                // ok: retry-without-backoff
                return await FetchPacedAsync(ct);
            }
        }

        public async Task<string> FetchAuthedAsync(CancellationToken ct)
        {
            try
            {
                return await _http.GetStringAsync("https://api/me", ct);
            }
            catch (HttpRequestException)
            {
                _token = await RefreshTokenAsync(ct);
                // ok: retry-without-backoff
                return await FetchAuthedAsync(ct);
            }
        }

        public async Task<string> LoadAsync(CancellationToken ct)
        {
            try
            {
                return await _http.GetStringAsync("https://api/state", ct);
            }
            catch (HttpRequestException)
            {
                // A different method: a fallback, not a retry.
                // ok: retry-without-backoff
                return await LoadCachedAsync(ct);
            }
        }

        private Task<string> LoadCachedAsync(CancellationToken ct) => Task.FromResult(_token);
        private Task<string> RefreshTokenAsync(CancellationToken ct) => Task.FromResult("t");
    }
}
