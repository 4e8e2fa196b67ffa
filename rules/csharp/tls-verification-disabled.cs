using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Orders.Ledger
{
    public static class LedgerHttp
    {
        private const string PinnedThumbprint = "3B1EFD3A66EA28B16697394703A72CA340A05BD5";

        public static HttpClientHandler InsecureHandler() => new HttpClientHandler
        {
            // ruleid: tls-verification-disabled
            ServerCertificateCustomValidationCallback = (message, cert, chain, errors) => true,
        };

        public static HttpClientHandler LazyHandler()
        {
            var handler = new HttpClientHandler();
            // ruleid: tls-verification-disabled
            handler.ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator;
            return handler;
        }

        public static void LegacyGlobal()
        {
            // ruleid: tls-verification-disabled
            ServicePointManager.ServerCertificateValidationCallback += delegate { return true; };
        }

        public static SslStream Raw(TcpClient tcp)
        {
            // ruleid: tls-verification-disabled
            return new SslStream(tcp.GetStream(), false, (sender, cert, chain, errors) => { return true; });
        }

        // --- correct code ---

        public static HttpClientHandler PinnedHandler() => new HttpClientHandler
        {
            // ok: tls-verification-disabled
            ServerCertificateCustomValidationCallback = (message, cert, chain, errors) =>
                errors == SslPolicyErrors.None || cert?.GetCertHashString() == PinnedThumbprint,
        };

        public static void Register(IServiceCollection services, IHostEnvironment env)
        {
            var builder = services.AddHttpClient("ledger");
            if (env.IsDevelopment())
            {
                builder.ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler
                {
                    // Local development against a self-signed container only.
                    // ok: tls-verification-disabled
                    ServerCertificateCustomValidationCallback = (m, c, ch, e) => true,
                });
            }
        }

        public static void AddLoopbackCallbacks(IServiceCollection services)
        {
            // Callbacks to a plugin listening on 127.0.0.1 with a self-signed certificate.
            services.AddHttpClient(CallbackSender.LoopbackClientName)
                .ConfigurePrimaryHttpMessageHandler(_ => new HttpClientHandler
                {
                    ServerCertificateCustomValidationCallback =
                        // ok: tls-verification-disabled
                        HttpClientHandler.DangerousAcceptAnyServerCertificateValidator
                });
        }

        public static void AddPartnerClient(IServiceCollection services)
        {
            services.AddHttpClient("partner-api")
                .ConfigurePrimaryHttpMessageHandler(_ => new HttpClientHandler
                {
                    ServerCertificateCustomValidationCallback =
                        // ruleid: tls-verification-disabled
                        HttpClientHandler.DangerousAcceptAnyServerCertificateValidator
                });
        }

        public static HttpClientHandler ApiHandler()
        {
            var handler = new HttpClientHandler();
#if DEBUG
            // The local API container uses a self-signed development certificate.
            // ok: tls-verification-disabled
            handler.ServerCertificateCustomValidationCallback = (message, cert, chain, errors) => true;
#else
            // ruleid: tls-verification-disabled
            handler.ServerCertificateCustomValidationCallback = (message, cert, chain, errors) => true;
#endif
            return handler;
        }

        // A route's own configuration switch named after the framework member: copying it between
        // configuration objects or naming it in a warning disables nothing (the callback that acts on it does).
        public static void CopyRoute(RouteOptions from, RouteOptions to, ILogger logger)
        {
            // ok: tls-verification-disabled
            to.DangerousAcceptAnyServerCertificateValidator = from.DangerousAcceptAnyServerCertificateValidator;
            // ok: tls-verification-disabled
            if (to.DangerousAcceptAnyServerCertificateValidator)
            {
                // ok: tls-verification-disabled
                logger.LogWarning($"Certificate checks are off for this route ({nameof(RouteOptions.DangerousAcceptAnyServerCertificateValidator)})");
            }
        }

        public static HttpClientHandler KubernetesApi(ILogger logger)
        {
            var handler = new HttpClientHandler
            {
                // ruleid: tls-verification-disabled
                ServerCertificateCustomValidationCallback = (message, cert, chain, policyErrors) =>
                {
                    logger?.LogWarning("Certificate verification is bypassed.");
                    return true;
                },
            };
            // ruleid: tls-verification-disabled
            ServicePointManager.ServerCertificateValidationCallback += delegate
            {
                Console.WriteLine("accepting the metadata service's certificate");
                return true;
            };
            return handler;
        }

        public static SslStream Tunnel(TcpClient tcp, ILogger logger) =>
            // ruleid: tls-verification-disabled
            new SslStream(tcp.GetStream(), false, (sender, cert, chain, sslErrors) => { logger.LogDebug("peer {Subject}", cert?.Subject); return true; });

        public static HttpClientHandler Pinned(ILogger logger)
        {
            var handler = new HttpClientHandler();
            // ok: tls-verification-disabled
            handler.ServerCertificateCustomValidationCallback = (message, cert, chain, policyErrors) =>
            {
                if (policyErrors != SslPolicyErrors.None)
                {
                    logger.LogWarning("Rejecting {Subject}", cert?.Subject);
                    return false;
                }
                return true;
            };
            // ok: tls-verification-disabled
            ServicePointManager.ServerCertificateValidationCallback += (sender, cert, chain, sslPolicyErrors) =>
            {
                logger.LogDebug("validating {Subject}", cert?.Subject);
                return sslPolicyErrors == SslPolicyErrors.None;
            };
            return handler;
        }

        public static SslStream Checked(TcpClient tcp, ILogger logger) =>
            // ok: tls-verification-disabled
            new SslStream(tcp.GetStream(), false, (sender, cert, chain, errors) => { logger.LogDebug("peer {Subject}", cert?.Subject); return errors == SslPolicyErrors.None || Pins.Contains(cert?.GetCertHashString()); });

        private static readonly HashSet<string?> Pins = new();

        public static SocketsHttpHandler Strict() => new SocketsHttpHandler
        {
            // ok: tls-verification-disabled
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (s, c, ch, e) => e == SslPolicyErrors.None },
        };
    }
}
