using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Polly;
using Polly.Retry;

namespace Orders.Inventory
{
    public sealed class InventoryClient
    {
        private readonly HttpClient _http;

        public InventoryClient(HttpClient http) => _http = http;

        public static IAsyncPolicy ForeverPolicy() =>
            Policy.Handle<HttpRequestException>()
                // ruleid: retry-without-cap
                .WaitAndRetryForeverAsync(attempt => TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, attempt))));

        public static ISyncPolicy Reserve() =>
            // ruleid: retry-without-cap
            Policy.Handle<TimeoutException>().RetryForever();

        public static RetryStrategyOptions Options() => new RetryStrategyOptions
        {
            BackoffType = DelayBackoffType.Exponential,
            // ruleid: retry-without-cap
            MaxRetryAttempts = int.MaxValue,
        };

        public async Task<int> StockAsync(string sku, CancellationToken ct)
        {
            // ruleid: retry-without-cap
            while (true)
            {
                try
                {
                    var body = await _http.GetStringAsync($"/stock/{sku}", ct);
                    return int.Parse(body);
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(TimeSpan.FromSeconds(2), ct);
                }
            }
        }

        public async Task ReleaseAsync(string sku, CancellationToken ct)
        {
            // ruleid: retry-without-cap
            for (;;)
            {
                try
                {
                    await _http.DeleteAsync($"/reservations/{sku}", ct);
                    break;
                }
                catch (HttpRequestException ex) when (ex.StatusCode is null)
                {
                    await Task.Delay(500, ct);
                }
            }
        }

        // --- correct code ---

        public async Task<int> WaitForStockAsync(string sku, TimeSpan timeout, CancellationToken ct)
        {
            var stopwatch = System.Diagnostics.Stopwatch.StartNew();
            // Gives up once the time budget is spent.
            // ok: retry-without-cap
            while (true)
            {
                try
                {
                    var body = await _http.GetStringAsync($"/stock/{sku}", ct);
                    return int.Parse(body);
                }
                catch (HttpRequestException) when (stopwatch.Elapsed < timeout)
                {
                }
                await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
            }
        }

        public static IAsyncPolicy Bounded() =>
            Policy.Handle<HttpRequestException>()
                // ok: retry-without-cap
                .WaitAndRetryAsync(5, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));

        public static RetryStrategyOptions GoodOptions() => new RetryStrategyOptions
        {
            BackoffType = DelayBackoffType.Exponential,
            // ok: retry-without-cap
            MaxRetryAttempts = 5,
        };

        public async Task<int> StockWithLimitAsync(string sku, CancellationToken ct)
        {
            var attempt = 0;
            // ok: retry-without-cap
            while (true)
            {
                try
                {
                    return int.Parse(await _http.GetStringAsync($"/stock/{sku}", ct));
                }
                catch (HttpRequestException) when (++attempt < 5)
                {
                    await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt)), ct);
                }
            }
        }

        public async Task<int> StockOrThrowAsync(string sku, CancellationToken ct)
        {
            var attempt = 0;
            // ok: retry-without-cap
            while (true)
            {
                try
                {
                    return int.Parse(await _http.GetStringAsync($"/stock/{sku}", ct));
                }
                catch (HttpRequestException)
                {
                    if (++attempt >= 5)
                    {
                        throw;
                    }
                    await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt)), ct);
                }
            }
        }
    }

    public sealed class StockLevels
    {
        private readonly StockDbContext _db;

        public async Task ReserveAsync(Guid sku, int quantity, CancellationToken ct)
        {
            // Reload-and-reapply until this write wins the optimistic-concurrency race.
            // ok: retry-without-cap
            while (true)
            {
                try
                {
                    var level = await _db.Levels.SingleAsync(l => l.Sku == sku, ct);
                    level.Reserved += quantity;
                    await _db.SaveChangesAsync(ct);
                    return;
                }
                catch (DbUpdateConcurrencyException)
                {
                    _db.ChangeTracker.Clear();
                }
            }
        }
    }

    public sealed class StockSyncWorker : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            // A polling loop: it never leaves on success, so it is not a retry.
            // ok: retry-without-cap
            while (true)
            {
                try
                {
                    await SyncAsync(stoppingToken);
                }
                catch (HttpRequestException)
                {
                }
                await Task.Delay(TimeSpan.FromMinutes(1), stoppingToken);
            }
        }

        private static Task SyncAsync(CancellationToken ct) => Task.CompletedTask;
    }

    public sealed class ReservationPump
    {
        private readonly System.Threading.Channels.Channel<string> _incoming =
            System.Threading.Channels.Channel.CreateUnbounded<string>();
        private readonly System.Net.Sockets.Socket _listenSocket;
        private readonly TableManager _tables;
        private readonly ConnectionIssue _lastIssue = new();

        private async Task RunPumpAsync()
        {
            // A message pump: each pass reads the next message, a failure does not repeat a call.
            // ok: retry-without-cap
            while (true)
            {
                try
                {
                    if (!await _incoming.Reader.WaitToReadAsync())
                    {
                        break;
                    }
                    while (_incoming.Reader.TryRead(out var message))
                    {
                        Dispatch(message);
                    }
                }
                catch (Exception ex)
                {
                    Console.Error.WriteLine(ex);
                }
            }
        }

        public async Task<System.Net.Sockets.Socket?> AcceptAsync()
        {
            // An accept loop moves past a connection reset in the backlog.
            // ok: retry-without-cap
            while (true)
            {
                try
                {
                    return await _listenSocket.AcceptAsync();
                }
                catch (System.Net.Sockets.SocketException)
                {
                }
            }
        }

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            // Start-up init bounded by the host's start token.
            // ok: retry-without-cap
            while (true)
            {
                try
                {
                    await _tables.InitTableAsync();
                    return;
                }
                catch (Exception) when (!cancellationToken.IsCancellationRequested)
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                }
            }
        }

        public async Task ReadStateAsync()
        {
            // Retries until it reads, through a backoff helper that also reports the issue.
            // ok: retry-without-cap
            while (true)
            {
                try
                {
                    await _tables.ReadAsync();
                    break;
                }
                catch (Exception e)
                {
                    _lastIssue.Record(e);
                }
                await _lastIssue.DelayBeforeRetry();
            }
        }

        private async Task ProcessOperationsAsync(Queue<object> pending)
        {
            // An operation queue: the break leaves the switch, not the loop.
            // ok: retry-without-cap
            while (true)
            {
                if (!pending.TryPeek(out var op))
                {
                    return;
                }
                try
                {
                    switch (op)
                    {
                        case string name:
                            Dispatch(name);
                            break;
                    }
                }
                catch (Exception ex)
                {
                    Console.Error.WriteLine(ex);
                }
                pending.Dequeue();
            }
        }

        private static void Dispatch(string message) { }
    }
}
