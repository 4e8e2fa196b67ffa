using System;
using System.Net.Http;
using System.Net.Http.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;

namespace Orders.Pricing
{
    public sealed record Price(string Sku, decimal Amount);

    public sealed class CachedPrices
    {
        private readonly IMemoryCache _cache;
        private readonly HttpClient _http;

        public CachedPrices(IMemoryCache cache, HttpClient http)
        {
            _cache = cache;
            _http = http;
        }

        public async Task<Price?> GetAsync(string sku, CancellationToken ct)
        {
            if (_cache.TryGetValue($"price:{sku}", out Price? cached))
            {
                return cached;
            }
            var price = await _http.GetFromJsonAsync<Price>($"/prices/{sku}", ct);
            // ruleid: memory-cache-without-expiration
            _cache.Set($"price:{sku}", price);
            return price;
        }

        public Task<Price?> GetOrLoadAsync(string sku, CancellationToken ct) =>
            // ruleid: memory-cache-without-expiration
            _cache.GetOrCreateAsync($"price:{sku}", entry => _http.GetFromJsonAsync<Price>($"/prices/{sku}", ct));

        public void Pin(string sku, Price price)
        {
            // ruleid: memory-cache-without-expiration
            var options = new MemoryCacheEntryOptions { Priority = CacheItemPriority.High };
            _cache.Set($"price:{sku}", price, options);
        }

        // --- correct code ---

        public void Store(string sku, Price price)
        {
            // ok: memory-cache-without-expiration
            _cache.Set($"price:{sku}", price, TimeSpan.FromMinutes(5));
        }

        public Task<Price?> GetOrLoadFreshAsync(string sku, CancellationToken ct) =>
            // ok: memory-cache-without-expiration
            _cache.GetOrCreateAsync($"price:{sku}", entry =>
            {
                entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5);
                return _http.GetFromJsonAsync<Price>($"/prices/{sku}", ct);
            });

        public void StoreSized(string sku, Price price)
        {
            // ok: memory-cache-without-expiration
            var options = new MemoryCacheEntryOptions().SetSize(1).SetSlidingExpiration(TimeSpan.FromMinutes(10));
            _cache.Set($"price:{sku}", price, options);
        }

        public void Headers(HttpRequestMessage request, string value)
        {
            // ok: memory-cache-without-expiration
            request.Options.Set(new HttpRequestOptionsKey<string>("sku"), value);
        }
    }

    // IDistributedCache entries without options live until something deletes them.
    public sealed class StateStore
    {
        private readonly IDistributedCache _cache;

        public StateStore(IDistributedCache cache) => _cache = cache;

        public async Task<string> ProtectAsync(string json, CancellationToken ct)
        {
            var key = Guid.NewGuid().ToString();
            // ruleid: memory-cache-without-expiration
            _cache.SetString($"state-{key}", json);
            // ruleid: memory-cache-without-expiration
            await _cache.SetStringAsync($"state-{key}", json, ct);
            // ruleid: memory-cache-without-expiration
            await _cache.SetAsync($"state-{key}", System.Text.Encoding.UTF8.GetBytes(json));
            var options = new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(15) };
            // ok: memory-cache-without-expiration
            _cache.SetString($"state-{key}", json, options);
            // ok: memory-cache-without-expiration
            await _cache.SetStringAsync($"state-{key}", json, options, ct);
            // ok: memory-cache-without-expiration
            await _cache.SetStringAsync($"state-{key}", json, new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(5) });
            return key;
        }
    }
}
