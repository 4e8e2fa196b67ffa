using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Polly;
using Polly.CircuitBreaker;
using Polly.Extensions.Http;
using Polly.Registry;

namespace Orders.Pricing;

public static class PricingRegistration
{
    private static readonly IAsyncPolicy<HttpResponseMessage> _circuitBreaker = GetCircuitBreakerPolicy();

    public static void Register(IServiceCollection services)
    {
        services.AddHttpClient<PricingClient>()
            // ruleid: circuit-breaker-per-call
            .AddPolicyHandler(request => GetCircuitBreakerPolicy());

        services.AddHttpClient<StockClient>()
            // ruleid: circuit-breaker-per-call
            .AddPolicyHandler((sp, request) => HttpPolicyExtensions.HandleTransientHttpError()
                .CircuitBreakerAsync(5, TimeSpan.FromSeconds(30)));

        services.AddHttpClient<RatesClient>()
            // ok: circuit-breaker-per-call
            .AddPolicyHandler(GetCircuitBreakerPolicy());

        services.AddHttpClient<TaxClient>()
            // ok: circuit-breaker-per-call
            .AddPolicyHandler(request => _circuitBreaker);

        services.AddHttpClient<ShippingClient>()
            // ok: circuit-breaker-per-call
            .AddPolicyHandlerFromRegistry((registry, request) => registry.Get<IAsyncPolicy<HttpResponseMessage>>("shipping"));
    }

    public static IAsyncPolicy<HttpResponseMessage> GetCircuitBreakerPolicy() =>
        HttpPolicyExtensions.HandleTransientHttpError().CircuitBreakerAsync(5, TimeSpan.FromSeconds(30));
}

public class QuoteService
{
    private readonly ResiliencePipeline _pipeline = new ResiliencePipelineBuilder()
        .AddCircuitBreaker(new CircuitBreakerStrategyOptions())
        .Build();

    public async Task<decimal> QuoteAsync(Func<CancellationToken, ValueTask<decimal>> fetch, CancellationToken ct)
    {
        // ruleid: circuit-breaker-per-call
        var pipeline = new ResiliencePipelineBuilder().AddCircuitBreaker(new CircuitBreakerStrategyOptions()).Build();
        return await pipeline.ExecuteAsync(fetch, ct);
    }

    public async Task<decimal> GuardedQuoteAsync(Func<CancellationToken, ValueTask<decimal>> fetch, CancellationToken ct)
    {
        // ok: circuit-breaker-per-call
        return await _pipeline.ExecuteAsync(fetch, ct);
    }
}
