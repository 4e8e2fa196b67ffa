using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Orders.Catalog
{
    public sealed class CatalogImporter
    {
        private readonly HttpClient _http;

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

        public Task WarmAsync(Func<Task> next) => Task.Run(async () =>
        {
            // ruleid: blocking-call-in-async
            Thread.Sleep(TimeSpan.FromSeconds(1));
            await next();
        });

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
}
