using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace Orders.Fulfilment
{
    public sealed class FulfilmentService : IDisposable
    {
        private readonly HttpClient _http;
        private readonly ILogger<FulfilmentService> _logger;
        private readonly Stream _journal;

        public FulfilmentService(HttpClient http, ILogger<FulfilmentService> logger, Stream journal)
        {
            _http = http;
            _logger = logger;
            _journal = journal;
        }

        public async Task NotifyShippingAsync(string orderId, CancellationToken ct)
        {
            try
            {
                await _http.PostAsync($"/shipments/{orderId}", null, ct);
            }
            // ruleid: swallowed-exception
            catch (Exception)
            {
            }
        }

        public async Task<bool> ReserveAsync(string sku, CancellationToken ct)
        {
            try
            {
                var resp = await _http.PostAsync($"/reservations/{sku}", null, ct);
                return resp.IsSuccessStatusCode;
            }
            // ruleid: swallowed-exception
            catch (HttpRequestException ex) { }
            return true;
        }

        public void WriteJournal(byte[] entry)
        {
            // ruleid: swallowed-exception
            try { _journal.Write(entry); } catch { }
        }

        // --- correct code ---

        public async Task NotifyBillingAsync(string orderId, CancellationToken ct)
        {
            try
            {
                await _http.PostAsync($"/billing/{orderId}", null, ct);
            }
            // ok: swallowed-exception
            catch (HttpRequestException ex)
            {
                _logger.LogWarning(ex, "Billing notification failed for {OrderId}", orderId);
                throw;
            }
        }

        public async Task PollAsync(CancellationToken ct)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            // ok: swallowed-exception
            catch (OperationCanceledException)
            {
            }
        }

        public void TryWarmCache()
        {
            try
            {
                File.ReadAllBytes("/var/cache/orders.bin");
            }
            // ok: swallowed-exception
            catch (IOException)
            {
                // The cache is optional: a cold start only costs latency.
            }
        }

        public void TryTouch(string path)
        {
            try { File.SetLastWriteTimeUtc(path, DateTime.UtcNow); }
            // ok: swallowed-exception
            catch (IOException ignored) { }
        }

        public void DropExport(string path)
        {
            try { File.Delete(Path.Combine(path, "export.tmp")); }
            // Already gone: nothing to do.
            // ok: swallowed-exception
            catch (DirectoryNotFoundException) { }
        }

        public void Dispose()
        {
            // ok: swallowed-exception
            try { _journal.Flush(); } catch { }
            _journal.Dispose();
        }
    }
}
