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

        public async Task<Quote?[]> QuoteFirstPageAsync(IReadOnlyList<OrderLine> lines, CancellationToken ct)
        {
            var page = lines.Where(l => l.Quantity > 0).Take(20).ToList();
            // The collection was sliced where it was built.
            // ok: unbounded-parallel-fan-out
            return await Task.WhenAll(page.Select(l => QuoteAsync(l.Sku, ct)));
        }

        public async Task<Quote?[][]> AskProvidersAsync(IEnumerable<IQuoteProvider> quoteProviders, string sku, CancellationToken ct)
        {
            var enabled = quoteProviders.Where(p => p.Enabled).ToArray();
            // One call per configured provider, filtered into a local first.
            // ok: unbounded-parallel-fan-out
            return await Task.WhenAll(enabled.Select(p => p.QuoteAsync(sku, ct)));
        }

        public async Task<Quote?[]> QuoteAndPriceAsync(IReadOnlyList<OrderLine> lines, CancellationToken ct)
        {
            // ruleid: unbounded-parallel-fan-out
            var priced = (await Task.WhenAll(lines.Select(async l => (l, quote: await QuoteAsync(l.Sku, ct)))))
                .Where(pair => pair.quote != null)
                .ToList();
            // Same width as the fan-out above, which is reported on its own.
            // ok: unbounded-parallel-fan-out
            return await Task.WhenAll(priced.Select(pair => QuoteAsync(pair.l.Sku, ct)));
        }

        public async Task<Quote?[]> QuoteForUserOrganizationsAsync(IOrganizationRepository organizationRepository, Guid userId, CancellationToken ct)
        {
            var memberships = await organizationRepository.GetManyByUserIdAsync(userId);
            // One call per organization the user belongs to: a handful.
            // ok: unbounded-parallel-fan-out
            return await Task.WhenAll(memberships.Select(o => QuoteAsync(o.PlanSku, ct)));
        }

        public async Task<Quote?[]> QuoteOrderAsync(IOrderRepository orderRepository, Guid orderId, CancellationToken ct)
        {
            var orderLines = await orderRepository.GetLinesByOrderIdAsync(orderId);
            // ruleid: unbounded-parallel-fan-out
            return await Task.WhenAll(orderLines.Select(l => QuoteAsync(l.Sku, ct)));
        }

        private readonly List<IQuoteProvider> _warmers = new();
        private readonly ProviderRegistry _registry = new();

        public Task StartAsync(CancellationToken ct)
            // One warmer per configured market, held by this hosted service.
            // ok: unbounded-parallel-fan-out
            => Task.WhenAll(_warmers.Select(w => w.QuoteAsync("warm-up", ct)).ToArray());

        public async Task ProbeAllAsync(CancellationToken ct)
        {
            // ok: unbounded-parallel-fan-out
            await Task.WhenAll(_registry.GetAll().Select(p => p.QuoteAsync("probe", ct)));
        }

        private readonly List<IOrderSubscriber> _changeSubscriptions = new();

        public Task NotifyChangeSubscribersAsync()
            // One call per registered subscriber: sized by code, not by the request.
            // ok: unbounded-parallel-fan-out
            => Task.WhenAll(_changeSubscriptions.Select(s => s.NotifyAsync()));
    }

    public sealed class RenameSnapshotFields
    {
        private readonly IMongoDatabase _database;

        public Task UpdateAsync(CancellationToken ct)
        {
            var collections = new[] { "States_Apps", "States_Rules", "States_Schemas" }
                .Select(name => _database.GetCollection<BsonDocument>(name));
            // Three collections named in the code.
            // ok: unbounded-parallel-fan-out
            return Task.WhenAll(collections.Select(c => c.UpdateManyAsync(FilterAll, RenameState, cancellationToken: ct)));
        }

        public Task WarmUpAsync(CancellationToken ct)
            // ok: unbounded-parallel-fan-out
            => Task.WhenAll(new[] { "orders", "customers" }.Select(n => _database.ListIndexesAsync(n, ct)));

        public Task ReindexAsync(IEnumerable<string> names, CancellationToken ct)
        {
            var collections = names.Select(name => _database.GetCollection<BsonDocument>(name));
            // ruleid: unbounded-parallel-fan-out
            return Task.WhenAll(collections.Select(c => c.UpdateManyAsync(FilterAll, RenameState, cancellationToken: ct)));
        }
    }

    public class ProviderRegistry
    {
        public IEnumerable<IQuoteProvider> GetAll() => Array.Empty<IQuoteProvider>();
    }
}
