using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace Orders.Catalog
{
    public sealed class CatalogImporter
    {
        private readonly HttpClient _http;
        private readonly System.Collections.Generic.Dictionary<string, double> _lastTemperatures = new();

        public CatalogImporter(HttpClient http) => _http = http;

        public async Task<string> ImportAsync(string feed, CancellationToken ct)
        {
            // ruleid: blocking-call-in-async
            Thread.Sleep(250);
            // ruleid: blocking-call-in-async
            var manifest = File.ReadAllText($"/data/feeds/{feed}/manifest.json");
            var response = await _http.GetAsync($"/feeds/{feed}", ct);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
            // ruleid: blocking-call-in-async
            var body = reader.ReadToEnd();
            // ruleid: blocking-call-in-async
            File.WriteAllText($"/data/feeds/{feed}/latest.json", body);
            return manifest;
        }

        public async Task<string> LegacyPricesAsync(string sku)
        {
            using var web = new WebClient();
            await Task.Yield();
            // ruleid: blocking-call-in-async
            return web.DownloadString($"https://prices.internal/{sku}");
        }

        public async Task SendReceiptAsync(MimeKit.MimeMessage message, CancellationToken ct)
        {
            using var client = new SmtpClient();
            // ruleid: blocking-call-in-async
            client.Connect("smtp.internal", 587, SecureSocketOptions.StartTls, ct);
            // ruleid: blocking-call-in-async
            client.Send(message, ct);
            await _http.PostAsync("/receipts/sent", null, ct);
            // ruleid: blocking-call-in-async
            client.Disconnect(true, ct);
        }

        public async Task SendReceiptProperlyAsync(MimeKit.MimeMessage message, CancellationToken ct)
        {
            using var client = new SmtpClient();
            // ok: blocking-call-in-async
            await client.ConnectAsync("smtp.internal", 587, SecureSocketOptions.StartTls, ct);
            // ok: blocking-call-in-async
            await client.SendAsync(message, ct);
            // ok: blocking-call-in-async
            await client.DisconnectAsync(true, ct);
        }

        public void SendReceiptFromWorker(MimeKit.MimeMessage message)
        {
            using var client = new SmtpClient();
            // A synchronous method: the blocking calls are what it is for.
            // ok: blocking-call-in-async
            client.Connect("smtp.internal", 587, SecureSocketOptions.StartTls);
            client.Send(message);
        }

        private readonly SemaphoreSlim _gate = new(1, 1);
        private static readonly SemaphoreSlim Throttle = new SemaphoreSlim(4);

        public async Task<string> RefreshAsync(string sku, CancellationToken ct)
        {
            // ruleid: blocking-call-in-async
            _gate.Wait();
            try
            {
                return await _http.GetStringAsync($"/prices/{sku}", ct);
            }
            finally
            {
                _gate.Release();
            }
        }

        public async Task PublishAsync(string sku, CancellationToken ct)
        {
            // ruleid: blocking-call-in-async
            if (!Throttle.Wait(TimeSpan.FromSeconds(5), ct)) return;
            try { await _http.PostAsync($"/publish/{sku}", null, ct); }
            finally { Throttle.Release(); }
        }

        public async Task PublishGoodAsync(string sku, CancellationToken ct)
        {
            // ok: blocking-call-in-async
            await Throttle.WaitAsync(ct);
            try { await _http.PostAsync($"/publish/{sku}", null, ct); }
            finally { Throttle.Release(); }
        }

        public async Task<string> ExecuteAsync(string command)
        {
            // Declared in another part of the partial class.
            // ruleid: blocking-call-in-async
            m_commandSemaphore.Wait();
            try { return await _http.GetStringAsync($"/exec/{command}"); }
            finally { m_commandSemaphore.Release(); }
        }

        public async Task DrainAsync(Task pending, ManualResetEventSlim done)
        {
            // Not a semaphore: a task's Wait is sync-over-async's concern, an event is not this rule's.
            // ok: blocking-call-in-async
            done.Wait();
            await pending;
        }

        public async Task<string?> TryRefreshAsync(string sku, CancellationToken ct)
        {
            // Wait(0) only tries the gate and returns at once: a guard against a second concurrent refresh.
            // ok: blocking-call-in-async
            if (!_gate.Wait(0)) return null;
            try { return await _http.GetStringAsync($"/prices/{sku}", ct); }
            finally { _gate.Release(); }
        }

        public async Task TryPublishAsync(string sku, CancellationToken ct)
        {
            // ok: blocking-call-in-async
            if (!Throttle.Wait(TimeSpan.Zero, ct)) return;
            try { await _http.PostAsync($"/publish/{sku}", null, ct); }
            finally { Throttle.Release(); }
        }

        public void RefreshSync()
        {
            // A synchronous method may block on the gate.
            // ok: blocking-call-in-async
            _gate.Wait();
            _gate.Release();
        }

        public Task WarmAsync(Func<Task> next) => Task.Run(async () =>
        {
            // ruleid: blocking-call-in-async
            Thread.Sleep(TimeSpan.FromSeconds(1));
            await next();
        });

        // Awaits nothing: runs start to finish on its caller's thread, like a synchronous method.
        public async Task<double> OutsideTemperatureAsync(string vin)
        {
            // var state = await GetCommandAsync("climate_state"); (left for later)
            // ok: blocking-call-in-async
            Thread.Sleep(5000);
            return _lastTemperatures.TryGetValue(vin, out var t) ? t : double.NaN;
        }

        // --- correct code ---

        public async Task<string> ImportGoodAsync(string feed, CancellationToken ct)
        {
            // ok: blocking-call-in-async
            await Task.Delay(250, ct);
            // ok: blocking-call-in-async
            var manifest = await File.ReadAllTextAsync($"/data/feeds/{feed}/manifest.json", ct);
            return manifest;
        }

        public async Task<string> OffloadAsync(string path)
        {
            // Offloaded to a worker thread on purpose.
            // ok: blocking-call-in-async
            return await Task.Run(() => File.ReadAllText(path));
        }

        public async Task AppendAsync(LogRecord record)
        {
            while (!_ring.TryWrite(record))
            {
                // Yields the time slice while the flusher drains the ring: a spin-wait, not a wait.
                // ok: blocking-call-in-async
                Thread.Sleep(1);
            }
            await _ring.FlushIfFullAsync();
        }

        public string LoadSync(string path)
        {
            // A synchronous method may block.
            // ok: blocking-call-in-async
            Thread.Sleep(10);
            // ok: blocking-call-in-async
            return File.ReadAllText(path);
        }
    }

    // Entity Framework's synchronous round trips inside async code.
    public sealed class ResilientTransaction
    {
        private readonly Microsoft.EntityFrameworkCore.DbContext _context;

        public ResilientTransaction(Microsoft.EntityFrameworkCore.DbContext context) => _context = context;

        public async Task ExecuteAsync(Func<Task> action)
        {
            // ruleid: blocking-call-in-async
            using var transaction = _context.Database.BeginTransaction();
            await action();
            // ruleid: blocking-call-in-async
            _context.SaveChanges();
            // ruleid: blocking-call-in-async
            _context.SaveChanges(true);
            transaction.Commit();
        }

        public async Task ExecuteGoodAsync(Func<Task> action, CancellationToken ct)
        {
            // ok: blocking-call-in-async
            await using var transaction = await _context.Database.BeginTransactionAsync(ct);
            await action();
            // ok: blocking-call-in-async
            await _context.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }

        public void ExecuteSync(Action action)
        {
            // ok: blocking-call-in-async
            using var transaction = _context.Database.BeginTransaction();
            action();
            // ok: blocking-call-in-async
            _context.SaveChanges();
            transaction.Commit();
        }
    }
}
