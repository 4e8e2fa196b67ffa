using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Orders.Pricing
{
    public sealed record OrderLine(string Sku, int Quantity);
    public sealed record Quote(string Sku, decimal Price);

    public sealed class PricingClient
    {
        private readonly HttpClient _http;
        private readonly Polly.ResiliencePipeline _pipeline;

        public PricingClient(HttpClient http, Polly.ResiliencePipeline pipeline)
        {
            _http = http;
            _pipeline = pipeline;
        }

        public Task<Quote?> QuoteAsync(string sku, CancellationToken ct) =>
            _http.GetFromJsonAsync<Quote>($"/quotes/{sku}", ct);

        public async Task<Quote?[]> QuoteAllAsync(IReadOnlyList<OrderLine> lines, CancellationToken ct)
        {
            // ruleid: unbounded-parallel-fan-out
            return await Task.WhenAll(lines.Select(l => QuoteAsync(l.Sku, ct)));
        }

        public async Task RefreshAsync(IEnumerable<string> skus, CancellationToken ct)
        {
            // ruleid: unbounded-parallel-fan-out
            await Task.WhenAll(skus.Select(async sku =>
            {
                var quote = await QuoteAsync(sku, ct);
                Console.WriteLine(quote);
            }).ToList());
        }

        public void Warm(IEnumerable<string> skus)
        {
            // ruleid: unbounded-parallel-fan-out
            Parallel.ForEach(skus, sku => QuoteAsync(sku, CancellationToken.None).Wait());
        }

        public void WarmWithToken(IEnumerable<string> skus, CancellationToken ct)
        {
            // ruleid: unbounded-parallel-fan-out
            Parallel.ForEach(skus, new ParallelOptions { CancellationToken = ct }, sku => QuoteAsync(sku, ct).GetAwaiter().GetResult());
        }

        // --- correct code ---

        public async Task WarmBoundedAsync(IEnumerable<string> skus, CancellationToken ct)
        {
            // ok: unbounded-parallel-fan-out
            await Parallel.ForEachAsync(skus, ct, async (sku, token) => await QuoteAsync(sku, token));
        }

        public void WarmBounded(IEnumerable<string> skus)
        {
            // ok: unbounded-parallel-fan-out
            Parallel.ForEach(skus, new ParallelOptions { MaxDegreeOfParallelism = 4 }, sku => QuoteAsync(sku, CancellationToken.None).Wait());
        }

        public async Task<Quote?[]> FirstPageAsync(IReadOnlyList<OrderLine> lines, CancellationToken ct)
        {
            // ok: unbounded-parallel-fan-out
            return await Task.WhenAll(lines.Take(10).Select(l => QuoteAsync(l.Sku, ct)));
        }

        public async Task RefreshThroughPipelineAsync(IEnumerable<string> skus, CancellationToken ct)
        {
            // The pipeline (a concurrency limiter) owns the width.
            // ok: unbounded-parallel-fan-out
            await Task.WhenAll(skus.Select(sku => _pipeline.ExecuteAsync(async token => await QuoteAsync(sku, token), ct).AsTask()));
        }

        public decimal[] Totals(IReadOnlyList<OrderLine> lines)
        {
            var totals = new decimal[lines.Count];
            // CPU-only work: the default partitioner is the right tool.
            // ok: unbounded-parallel-fan-out
            Parallel.For(0, lines.Count, i => totals[i] = lines[i].Quantity * 1.2m);
            return totals;
        }

        private readonly List<IOrderSubscriber> _changeSubscriptions = new();

        public Task NotifyChangeSubscribersAsync()
            // One call per registered subscriber: sized by code, not by the request.
            // ok: unbounded-parallel-fan-out
            => Task.WhenAll(_changeSubscriptions.Select(s => s.NotifyAsync()));
    }
}
