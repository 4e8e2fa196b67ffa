using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;

namespace Orders.Clients
{
    public sealed class InventoryClient
    {
        private static readonly SocketsHttpHandler Handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            // ruleid: http-client-without-timeout
            ConnectTimeout = Timeout.InfiniteTimeSpan,
        };

        private readonly HttpClient _http;

        public InventoryClient()
        {
            // ruleid: http-client-without-timeout
            _http = new HttpClient(Handler) { Timeout = Timeout.InfiniteTimeSpan };
        }

        public void UseLongExports(HttpClient exportClient)
        {
            // ruleid: http-client-without-timeout
            exportClient.Timeout = TimeSpan.FromHours(2);
        }

        public string LegacyStock(string sku)
        {
            var request = (HttpWebRequest)WebRequest.Create("https://inventory.internal/stock/" + sku);
            // ruleid: http-client-without-timeout
            request.Timeout = System.Threading.Timeout.Infinite;
            // ruleid: http-client-without-timeout
            request.ReadWriteTimeout = -1;
            using var response = request.GetResponse();
            using var reader = new StreamReader(response.GetResponseStream());
            return reader.ReadToEnd();
        }

        public void Tighten(HttpClient client)
        {
            // ok: http-client-without-timeout
            client.Timeout = TimeSpan.FromSeconds(15);
        }

        public static HttpClient Catalog()
        {
            // ok: http-client-without-timeout
            return new HttpClient { Timeout = TimeSpan.FromMinutes(2), BaseAddress = new Uri("https://catalog.internal") };
        }

        public static HttpClient Shipping()
        {
            // A bare HttpClient keeps the 100 s default.
            // ok: http-client-without-timeout
            var client = new HttpClient { BaseAddress = new Uri("https://shipping.internal") };
            return client;
        }

        public void ConfigureRetries(SomeOptions options)
        {
            // ok: http-client-without-timeout
            options.Timeout = TimeSpan.FromSeconds(10);
        }
    }

    public static class Registration
    {
        public static void AddClients(IServiceCollection services)
        {
            services.AddHttpClient<InventoryClient>(c =>
            {
                // The standard resilience handler's total timeout (30 s) owns the bound.
                // ok: http-client-without-timeout
                c.Timeout = Timeout.InfiniteTimeSpan;
            }).AddStandardResilienceHandler();

            // A named client for whole-archive downloads: a long bound, chosen on purpose.
            services.AddHttpClient("Backup", options =>
            {
                // ok: http-client-without-timeout
                options.Timeout = TimeSpan.FromHours(1);
            });

            services.AddHttpClient("Events", options =>
            {
                // ruleid: http-client-without-timeout
                options.Timeout = Timeout.InfiniteTimeSpan;
            });
        }
    }

    public sealed class StockGrpcClient
    {
        private readonly GrpcChannel _channel;

        public StockGrpcClient(Uri address, HttpMessageHandler handler)
        {
            var httpClient = new HttpClient(handler);
            // gRPC bounds each call with its own deadline; the channel's client must not cut streams.
            // ok: http-client-without-timeout
            httpClient.Timeout = Timeout.InfiniteTimeSpan;
            _channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpClient = httpClient });
        }
    }

    public static class SidecarRegistration
    {
        public static IServiceCollection AddSidecarClient(this IServiceCollection services, Uri sidecar)
        {
            services.AddGrpcClient<Sidecar.SidecarClient>(options => options.Address = sidecar)
                .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
                {
                    // ok: http-client-without-timeout
                    ConnectTimeout = Timeout.InfiniteTimeSpan,
                    KeepAlivePingDelay = TimeSpan.FromSeconds(60),
                })
                .ConfigureHttpClient(client =>
                {
                    // ok: http-client-without-timeout
                    client.Timeout = Timeout.InfiniteTimeSpan;
                });
            return services;
        }

        public static IServiceCollection AddSidecarHttp(this IServiceCollection services, Uri sidecar)
        {
            services.AddHttpClient("sidecar-http", client => client.BaseAddress = sidecar)
                .ConfigureHttpClient(client =>
                {
                    // ruleid: http-client-without-timeout
                    client.Timeout = Timeout.InfiniteTimeSpan;
                });
            return services;
        }
    }

    public sealed class ArchiveStoreClient
    {
        private readonly HttpClient _http;

        public ArchiveStoreClient(HttpMessageHandler handler)
        {
            _http = new HttpClient(handler);
            // Infinite on purpose: every method is called with a cancellation token that carries its own limit.
            // ok: http-client-without-timeout
            _http.Timeout = Timeout.InfiniteTimeSpan;
        }

        public void Reset(HttpClient client)
        {
            // Uploads can take hours.
            // ruleid: http-client-without-timeout
            client.Timeout = Timeout.InfiniteTimeSpan;
        }
    }

    public sealed class SomeOptions
    {
        public TimeSpan Timeout { get; set; }
    }
}
