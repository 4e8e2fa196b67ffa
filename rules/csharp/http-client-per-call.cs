using System;
using System.Net.Http;
using System.Net.Http.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Mvc;
using Quartz;

namespace Orders.Shipping
{
    public sealed record Quote(string Carrier, decimal Price);

    public sealed class ShippingQuotes
    {
        private static readonly SocketsHttpHandler SharedHandler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };

        // ok: http-client-per-call
        private static readonly HttpClient Shared = new HttpClient(SharedHandler) { Timeout = TimeSpan.FromSeconds(10) };

        private readonly IHttpClientFactory _factory;
        private readonly HttpClient _typed;

        public ShippingQuotes(IHttpClientFactory factory)
        {
            _factory = factory;
            // ok: http-client-per-call
            _typed = new HttpClient { BaseAddress = new Uri("https://carriers.internal") };
        }

        public async Task<Quote?> QuoteAsync(string carrier, CancellationToken ct)
        {
            // ruleid: http-client-per-call
            using var client = new HttpClient();
            return await client.GetFromJsonAsync<Quote>($"https://carriers.internal/{carrier}/quote", ct);
        }

        public async Task<string> TrackAsync(string parcel, CancellationToken ct)
        {
            // ruleid: http-client-per-call
            using (var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }))
            {
                return await client.GetStringAsync($"https://tracking.internal/{parcel}", ct);
            }
        }

        // ruleid: http-client-per-call
        public Task<string> LabelAsync(string id) => new HttpClient().GetStringAsync($"https://labels.internal/{id}");

        // --- correct code ---

        public static HttpClient CreateCarrierClient(Uri baseAddress)
        {
            // A factory: the caller (a singleton registration) owns the client.
            // ok: http-client-per-call
            var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
            client.DefaultRequestHeaders.Add("X-Service", "orders");
            return client;
        }

        public async Task<Quote?> QuoteWithFactoryAsync(string carrier, CancellationToken ct)
        {
            // ok: http-client-per-call
            var client = _factory.CreateClient("carriers");
            return await client.GetFromJsonAsync<Quote>($"/{carrier}/quote", ct);
        }

        public async Task<string> TrackSharedAsync(string parcel, CancellationToken ct)
        {
            // ok: http-client-per-call
            using var client = new HttpClient(SharedHandler, disposeHandler: false);
            return await client.GetStringAsync($"https://tracking.internal/{parcel}", ct);
        }

        public async Task DeliverWebhookAsync(Uri target, string body, CancellationToken ct)
        {
            // One client per target: the connect callback refuses private addresses after DNS resolution.
            // ok: http-client-per-call
            using var client = new HttpClient(new SocketsHttpHandler { ConnectCallback = PublicAddressGuard.ConnectAsync });
            using var response = await client.PostAsync(target, new StringContent(body), ct);
            response.EnsureSuccessStatusCode();
        }
    }

    [ApiController]
    public sealed class QuotesController : ControllerBase
    {
        private readonly HttpClient _http;

        public QuotesController()
        {
            // Controllers are created per request.
            // ruleid: http-client-per-call
            _http = new HttpClient();
        }
    }

    public sealed class StatusController : Controller
    {
        // A field initializer runs for every controller instance, i.e. every request.
        // ruleid: http-client-per-call
        private readonly HttpClient _status = new HttpClient();

        // ok: http-client-per-call
        private static readonly HttpClient SharedStatus = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
    }

    public sealed class KeepAliveJob : IJob
    {
        // Quartz builds a new job instance for each run.
        // ruleid: http-client-per-call
        private HttpClient _http = new HttpClient();

        public async Task Execute(IJobExecutionContext context) => await _http.GetAsync("https://admin.internal/alive");
    }

    public sealed class CarrierDirectory
    {
        // A long-lived service (registered as a singleton) keeps its client.
        // ok: http-client-per-call
        private readonly HttpClient _directory = new HttpClient { BaseAddress = new Uri("https://carriers.internal") };
    }

    [ApiController]
    public sealed class BreachController : ControllerBase
    {
        private static readonly HttpClient _breaches;

        static BreachController()
        {
            // A static constructor runs once per type.
            // ok: http-client-per-call
            _breaches = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        }
    }

    public class GatewayAccountReader
    {
        private readonly HttpMessageHandler _handler;

        public GatewayAccountReader(HttpMessageHandler handler) => _handler = handler;

        public async Task<string> ReadAccountAsync(Uri endpoint)
        {
            // ruleid: http-client-per-call
            HttpClient http = _handler == null ? new HttpClient() : new HttpClient(_handler);
            return await http.GetStringAsync(endpoint);
        }

        public async Task<string> ReadRegionAsync(Uri endpoint)
        {
            // ruleid: http-client-per-call
            var http = _handler != null ? new HttpClient(_handler, disposeHandler: false) : new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            return await http.GetStringAsync(endpoint);
        }

        public HttpClient Build()
        {
            // ok: http-client-per-call
            var http = _handler == null ? new HttpClient() : new HttpClient(_handler);
            return http;
        }

        public async Task<string> ReadSharedAsync(Uri endpoint)
        {
            // ok: http-client-per-call
            var http = _handler != null ? new HttpClient(_handler, disposeHandler: false) : SharedClient.Instance;
            return await http.GetStringAsync(endpoint);
        }
    }

    public static class Program
    {
        public static async Task Main()
        {
            // ok: http-client-per-call
            using var http = new HttpClient();
            Console.WriteLine(await http.GetStringAsync("https://carriers.internal/health"));
        }
    }
}
