using System;
using Amazon.SQS;
using Amazon.SQS.Model;
using Dapper;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Orders.Api
{
    public sealed class Order
    {
        public string Id { get; set; } = "";
        public string Status { get; set; } = "";
    }

    public sealed class OrdersDb : DbContext
    {
        public DbSet<Order> Orders => Set<Order>();
    }

    public interface IAuditLog
    {
        Task WriteAsync(string entry);
    }

    [ApiController]
    public sealed class OrderStatusController : ControllerBase
    {
        private readonly OrdersDb _db;
        private readonly HttpClient _http;
        private readonly IAuditLog _audit;
        private readonly IRepository<Order> _orderRepository;

        public OrderStatusController(OrdersDb db, HttpClient http, IAuditLog audit)
        {
            _db = db;
            _http = http;
            _audit = audit;
        }

        [HttpGet("orders/{id}/status")]
        public async Task<IActionResult> Get(string id, CancellationToken ct)
        {
            // ruleid: cancellation-token-not-forwarded
            var order = await _db.Orders.FirstOrDefaultAsync(o => o.Id == id);
            // ruleid: cancellation-token-not-forwarded
            var carrier = await _http.GetFromJsonAsync<Dictionary<string, string>>($"/carriers/{id}");
            // ruleid: cancellation-token-not-forwarded
            using var response = await _http.GetAsync($"/tracking/{id}");
            // ruleid: cancellation-token-not-forwarded
            await Task.Delay(TimeSpan.FromSeconds(2));
            return Ok(new { order, carrier, tracking = response.StatusCode });
        }

        public async Task<List<string>> Statuses(System.Data.Common.DbCommand cmd, System.Threading.Channels.Channel<string> updates, CancellationToken ct)
        {
            var statuses = new List<string>();
            using var dr = await cmd.ExecuteReaderAsync(ct);
            // ruleid: cancellation-token-not-forwarded
            while (await dr.ReadAsync())
            {
                statuses.Add(dr.GetString(0));
            }
            // ruleid: cancellation-token-not-forwarded
            statuses.Add(await updates.Reader.ReadAsync());
            // ok: cancellation-token-not-forwarded
            while (await dr.NextResultAsync(ct)) { }
            // The request body: the server aborts the read when the client goes.
            // ok: cancellation-token-not-forwarded
            var body = await HttpContext.Request.BodyReader.ReadAsync();
            return statuses;
        }

        // --- correct code ---

        [HttpPost("orders/{id}/cancel")]
        public async Task<IActionResult> Cancel(string id, CancellationToken cancellationToken)
        {
            // ok: cancellation-token-not-forwarded
            var order = await _db.Orders.FirstOrDefaultAsync(o => o.Id == id, cancellationToken);
            if (order is null)
            {
                return NotFound();
            }
            order.Status = "Cancelled";
            // ok: cancellation-token-not-forwarded
            await _db.SaveChangesAsync(cancellationToken);
            // Must complete even if the client goes away.
            // ok: cancellation-token-not-forwarded
            await _http.PostAsync($"/refunds/{id}", null, CancellationToken.None);
            // A custom API without a token overload: not flagged.
            // ok: cancellation-token-not-forwarded
            await _audit.WriteAsync($"cancelled {id}");
            return NoContent();
        }

        public async Task<string> DownloadManifestAsync(string id, CancellationToken ct)
        {
            using var response = await _http.GetAsync($"/manifests/{id}", HttpCompletionOption.ResponseHeadersRead, ct);
            // ruleid: cancellation-token-not-forwarded
            return await response.Content.ReadAsStringAsync();
        }

        public async Task<long> SaveManifestAsync(string id, Stream target, CancellationToken ct)
        {
            using var response = await _http.GetAsync($"/manifests/{id}", HttpCompletionOption.ResponseHeadersRead, ct);
            // ok: cancellation-token-not-forwarded
            using var body = await response.Content.ReadAsStreamAsync();
            await body.CopyToAsync(target, ct);
            return target.Length;
        }

        public async Task<int> PurgeAsync(DbConnection conn, CancellationToken ct)
        {
            var command = new CommandDefinition("DELETE FROM outbox WHERE sent", cancellationToken: ct);
            // ok: cancellation-token-not-forwarded
            return await conn.ExecuteAsync(command);
        }

        public async Task DrainAsync(CancellationToken ct)
        {
            // The current batch must finish before the host stops.
            // ReSharper disable once MethodSupportsCancellation
            // ok: cancellation-token-not-forwarded
            while (await _events.Reader.WaitToReadAsync())
            {
                await HandleAsync(await _events.Reader.ReadAsync());
            }
        }

        public void OnFatalError(Exception error, CancellationToken requestAborted)
        {
            _logger.LogCritical(error, "Stopping");
            // ok: cancellation-token-not-forwarded
            _ = Task.Delay(3000).ContinueWith(_ => _lifetime.StopApplication());
        }

        public async Task ResizeAsync(Stream source, Stream target, CancellationToken ct)
        {
#pragma warning disable MA0040 // The fallback copy must complete once started, or the cached file stays half written.
            try
            {
                await _resizer.ResizeAsync(source, target, ct);
            }
            catch
            {
                // ok: cancellation-token-not-forwarded
                await source.CopyToAsync(target);
            }
#pragma warning restore MA0040
        }

        public async Task ReleaseLeaseAsync(string leaseId, CancellationToken ct)
        {
            // Must complete even if the request is aborted, or the lease is held until it expires.
            // ok: cancellation-token-not-forwarded
            await _http.DeleteAsync($"/leases/{leaseId}");
        }

        public async Task ImportAsync(ImportJob job, CancellationToken ct)
        {
            try
            {
                await _importer.RunAsync(job, ct);
            }
            catch (OperationCanceledException)
            {
                job.Status = ImportStatus.Cancelled;
                // Record why the import stopped.
                // ok: cancellation-token-not-forwarded
                await _db.SaveChangesAsync();
                throw;
            }
        }

        public async Task MarkShippedAsync(string id, CancellationToken ct)
        {
            var order = await _orderRepository.GetAll().FirstOrDefaultAsync(o => o.Id == id, ct);
            order!.Status = "shipped";
            // The project's repository wrapper declares `Task<int> SaveChangesAsync()`: no token to pass.
            // ok: cancellation-token-not-forwarded
            await _orderRepository.SaveChangesAsync();
        }

        public async Task CopyAsync(Stream source, Stream target, CancellationToken ct)
        {
            // ruleid: cancellation-token-not-forwarded
            await source.CopyToAsync(target);
        }

        public async Task<string> FetchLabelAsync(string id, CancellationToken ct)
        {
            // The helper links `ct` with a timeout and hands the linked token to the callback.
            // ok: cancellation-token-not-forwarded
            using var response = await Retry.WithTimeout(_timeouts.Short, ct, linked => _http.GetAsync($"/labels/{id}", linked));
            return await Retry.WithTimeout(_timeouts.Short, ct, async (CancellationToken c) =>
            {
                // ok: cancellation-token-not-forwarded
                return await response.Content.ReadAsStringAsync(c);
            });
        }

        public async Task<Order?> FindArchivedAsync(string id, CancellationToken cancellationToken)
        {
            // The async sequence was given the token; the LINQ operator over it needs none.
            // ok: cancellation-token-not-forwarded
            return await _archive.ListAsync(cancellationToken).FirstOrDefaultAsync(o => o.Id == id);
        }

        public async Task RemoveNodesAsync(IEnumerable<INode> nodes, CancellationToken ct)
        {
            foreach (var node in nodes)
            {
                // A storage SDK client, not an HttpClient: its DeleteAsync(node, bool) takes no token.
                // ok: cancellation-token-not-forwarded
                await _storageClient.DeleteAsync(node, false);
            }
        }

        public async Task WaitForDrainAsync(CancellationToken ct)
        {
            while (!ct.IsCancellationRequested && _inFlight > 0)
            {
                // A 10 ms poll tick: the loop checks the token between ticks.
                // ok: cancellation-token-not-forwarded
                await Task.Delay(10);
            }
            while (!ct.IsCancellationRequested && _inFlight > 0)
            {
                // ruleid: cancellation-token-not-forwarded
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
            while (!ct.IsCancellationRequested && _inFlight > 0)
            {
                // ruleid: cancellation-token-not-forwarded
                await Task.Delay(5000);
            }
            // A timeout raced against the work itself.
            // ok: cancellation-token-not-forwarded
            await Task.WhenAny(_shutdownTask, Task.Delay(TimeSpan.FromSeconds(30)));
        }

        public async Task ReloadAsync(CancellationToken ct)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await _db.Orders.ToListAsync(ct);
                    return;
                }
                catch (DbException) when (attempt < 5)
                {
                    // ruleid: cancellation-token-not-forwarded
                    await Task.Delay(TimeSpan.FromSeconds(attempt * 2));
                }
            }
        }

        public async Task<List<string>> ProbeAllAsync(IEnumerable<string> urls, CancellationToken ct)
        {
            // The lambda parameter is the URL, not a token.
            // ruleid: cancellation-token-not-forwarded
            var responses = await Task.WhenAll(urls.Select(url => _http.GetAsync(url)));
            return responses.Select(r => r.StatusCode.ToString()).ToList();
        }

        public async Task<int> MarkSentAsync(DbConnection connection, string sql, object[] sqlParams, CancellationToken ct)
        {
            // The project's own connection extension (`sqlParams:` is no ADO.NET or Dapper parameter).
            // ok: cancellation-token-not-forwarded
            return await connection.ExecuteNonQueryAsync(sql, sqlParams: sqlParams);
        }

        public async Task BufferAsync(HttpRequest request, Stream target, CancellationToken aborted)
        {
            // ok: cancellation-token-not-forwarded
            await request.Body.CopyToAsync(target, 81920, aborted);
            // ruleid: cancellation-token-not-forwarded
            await request.Body.CopyToAsync(target);
        }

        [HttpGet("orders")]
        public async Task<IActionResult> List()
        {
            // No token in scope (MA0032 territory, not this rule).
            // ok: cancellation-token-not-forwarded
            return Ok(await _db.Orders.ToListAsync());
        }
    }

    public sealed class ActorEnvelope
    {
        private readonly HttpClient _http = new();
        private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _certificate = new("server.pfx");

        public async Task<Order?> InvokeAsync(Order request, CancellationToken cancellationToken)
        {
            using var buffer = new MemoryStream();
            // ok: cancellation-token-not-forwarded
            await System.Text.Json.JsonSerializer.SerializeAsync(buffer, request);
            buffer.Position = 0;
            using var response = await _http.PostAsync("https://actors.internal/invoke", new StreamContent(buffer), cancellationToken);
            var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            // ruleid: cancellation-token-not-forwarded
            return await System.Text.Json.JsonSerializer.DeserializeAsync<Order>(body);
        }

        public async Task<Order?> ReadAsync(byte[] payload, Stream network, CancellationToken cancellationToken)
        {
            using (var copy = new MemoryStream(payload))
            {
                // ok: cancellation-token-not-forwarded
                var first = await System.Text.Json.JsonSerializer.DeserializeAsync<Order>(copy);
            }
            // ruleid: cancellation-token-not-forwarded
            return await System.Text.Json.JsonSerializer.DeserializeAsync<Order>(network);
        }

        public async Task AwaitFailoverAsync(CancellationToken failover)
        {
            // ok: cancellation-token-not-forwarded
            await Task.Delay(_failoverMillis, failover);
            CancellationToken linked = failover;
            // ok: cancellation-token-not-forwarded
            await Task.Delay(_failoverMillis, linked);
            // ruleid: cancellation-token-not-forwarded
            await Task.Delay(_failoverMillis);
        }

        public async Task<TcpClient> OpenRacedAsync(System.Net.IPAddress address, int port, CancellationToken cancellationToken)
        {
            var raced = new TcpClient();
            // ok: cancellation-token-not-forwarded
            var connecting = raced.ConnectAsync(address, port);
            if (await Task.WhenAny(connecting, Task.Delay(5000, cancellationToken)) != connecting)
                throw new TimeoutException();
            return raced;
        }

        public async Task<System.Net.Sockets.Socket> OpenAsync(System.Net.IPAddress[] addresses, int port, CancellationToken cancellationToken)
        {
            foreach (var address in addresses)
            {
                var s = new System.Net.Sockets.Socket(address.AddressFamily, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                // ruleid: cancellation-token-not-forwarded
                await s.ConnectAsync(address, port).ConfigureAwait(false);
                // ok: cancellation-token-not-forwarded
                await s.ConnectAsync(address, port, cancellationToken).ConfigureAwait(false);
                var client = new TcpClient();
                // ruleid: cancellation-token-not-forwarded
                await client.ConnectAsync(address, port);
                var peer = new Peer();
                // ok: cancellation-token-not-forwarded
                await peer.ConnectAsync(address, port);
                return s;
            }
            return null;
        }

        public async Task<int> ReadFrameAsync(Stream networkStream, System.Net.Sockets.Socket socket, string host, byte[] buffer, CancellationToken token)
        {
            // ruleid: cancellation-token-not-forwarded
            var addresses = await System.Net.Dns.GetHostAddressesAsync(host);
            // ruleid: cancellation-token-not-forwarded
            await socket.ConnectAsync(addresses[0], 21);
            // ruleid: cancellation-token-not-forwarded
            int header = await networkStream.ReadAsync(buffer, 0, 6);
            // ruleid: cancellation-token-not-forwarded
            await networkStream.FlushAsync();
            // ok: cancellation-token-not-forwarded
            int body = await networkStream.ReadAsync(buffer.AsMemory(6), token);
            // ok: cancellation-token-not-forwarded
            await socket.SendAsync(new ArraySegment<byte>(buffer), System.Net.Sockets.SocketFlags.None, token);
            // ok: cancellation-token-not-forwarded
            await WithCancellation(socket.ConnectAsync(addresses[0], 990), token);
            // ok: cancellation-token-not-forwarded
            int more = await networkStream.ReadAsync(buffer, 0, 4).WaitAsync(token);
            var tlsStream = new System.Net.Security.SslStream(networkStream, true);
            // ruleid: cancellation-token-not-forwarded
            await tlsStream.AuthenticateAsServerAsync(_certificate, false, System.Security.Authentication.SslProtocols.Tls12, true);
            // ok: cancellation-token-not-forwarded
            await tlsStream.AuthenticateAsClientAsync(new System.Net.Security.SslClientAuthenticationOptions { TargetHost = host }, token);
            var args = new System.Net.Sockets.SocketAsyncEventArgs();
            // The event-args style returns a bool and takes no token.
            // ok: cancellation-token-not-forwarded
            if (!socket.ReceiveAsync(args)) { more += args.BytesTransferred; }
            using var scratch = new MemoryStream();
            // ok: cancellation-token-not-forwarded
            await scratch.WriteAsync(buffer, 0, body);
#if NET6_0_OR_GREATER
            // ok: cancellation-token-not-forwarded
            var resolved = await System.Net.Dns.GetHostAddressesAsync(host, token);
#else
            // Compiled for older frameworks only, whose overloads take no token.
            // ok: cancellation-token-not-forwarded
            var resolved = await System.Net.Dns.GetHostAddressesAsync(host);
#endif
            more += resolved.Length;
            return header + body + more;
        }
    }

    public sealed class RecoveryGate
    {
        private readonly SemaphoreSlim _entities = new SemaphoreSlim(1, 1);
        private readonly ManualResetEventSlim _flowControl = new ManualResetEventSlim(true);
        private readonly Task _startup = Task.CompletedTask;

        public async Task RecoverQueuesAsync(CancellationToken cancellationToken)
        {
            // ruleid: cancellation-token-not-forwarded
            await _entities.WaitAsync();
            _entities.Release();
            // ruleid: cancellation-token-not-forwarded
            await _entities.WaitAsync().ConfigureAwait(false);
            _entities.Release();
            // ok: cancellation-token-not-forwarded
            await _entities.WaitAsync(cancellationToken);
            _entities.Release();
            // ok: cancellation-token-not-forwarded
            await _startup.WaitAsync(TimeSpan.FromSeconds(5));
            // A wait task raced against the token by the caller's own code.
            // ok: cancellation-token-not-forwarded
            Task waitTask = _entities.WaitAsync();
            await Task.WhenAny(waitTask, Task.Delay(Timeout.Infinite, cancellationToken));
        }

        public void Publish(byte[] body, CancellationToken cancellationToken)
        {
            // A zero-timeout poll never blocks.
            // ok: cancellation-token-not-forwarded
            if (_entities.Wait(0))
            {
                _entities.Release();
            }
            // ok: cancellation-token-not-forwarded
            _flowControl.Wait(cancellationToken);
        }
    }

    public sealed class OrderQueue
    {
        private readonly IAmazonSQS _sqs;
        private readonly System.Data.IDbConnection _db;
        private readonly IFileStore _fileSystem;

        public async Task TeardownAsync(string queueName, CancellationToken token)
        {
            // ruleid: cancellation-token-not-forwarded
            var url = await _sqs.GetQueueUrlAsync(queueName);
            // ok: cancellation-token-not-forwarded
            await _sqs.DeleteQueueAsync(url.QueueUrl, token);
            // ruleid: cancellation-token-not-forwarded
            await _sqs.PurgeQueueAsync(new PurgeQueueRequest { QueueUrl = url.QueueUrl });
        }

        public async Task<IEnumerable<Order>> PendingAsync(string status, CancellationToken ct)
        {
            // ruleid: cancellation-token-not-forwarded
            await _db.ExecuteAsync("update orders set seen = 1 where status = @status", new { status });
            // ok: cancellation-token-not-forwarded
            var count = await _db.ExecuteScalarAsync<int>(new CommandDefinition("select count(*) from orders", cancellationToken: ct));
            // ruleid: cancellation-token-not-forwarded
            return await _db.QueryAsync<Order>("select * from orders where status = @status", new { status });
        }

        public async Task<string> TemplateAsync(string name, CancellationToken ct)
        {
            // The project's own file store: its ReadAllTextAsync takes no token.
            // ok: cancellation-token-not-forwarded
            var text = await _fileSystem.ReadAllTextAsync(name);
            // ruleid: cancellation-token-not-forwarded
            return text + await File.ReadAllTextAsync(name + ".footer");
        }
    }

    public sealed class NotificationRegistrar
    {
        private readonly HttpClient _http = new();
        private readonly System.Data.Common.DbConnection _conn;
        private readonly IMetricsRegistry _registry;

        public NotificationRegistrar(System.Data.Common.DbConnection conn, IMetricsRegistry registry)
        {
            _conn = conn;
            _registry = registry;
        }

        public async Task RegisterAsync(Uri service, TimeSpan remaining, CancellationToken cancellationToken)
        {
            // ruleid: cancellation-token-not-forwarded
            await _registry.RegisterFilterAsync(service, remaining, CancellationToken.None);
            // ruleid: cancellation-token-not-forwarded
            await _conn.OpenAsync(System.Threading.CancellationToken.None);
            // ruleid: cancellation-token-not-forwarded
            await _registry.ExportAsTextAsync(Stream.Null, default);
            // ruleid: cancellation-token-not-forwarded
            using var response = await _http.GetAsync(service, default(CancellationToken));
            // A `default` for some other parameter of a method that is no async call.
            // ok: cancellation-token-not-forwarded
            var limit = _registry.Limit(service, default);
            try
            {
                // ok: cancellation-token-not-forwarded
                await _registry.RegisterFilterAsync(service, remaining, cancellationToken);
            }
            catch (HttpRequestException)
            {
                // Cleanup after a failure runs whether or not the caller is still there.
                // ok: cancellation-token-not-forwarded
                await _registry.UnregisterAsync(service, CancellationToken.None);
                throw;
            }
            finally
            {
                // ok: cancellation-token-not-forwarded
                await _registry.ReleaseLeaseAsync(service, CancellationToken.None);
            }
            var done = new TaskCompletionSource<bool>();
            // ok: cancellation-token-not-forwarded
            done.TrySetCanceled(CancellationToken.None);
            // ok: cancellation-token-not-forwarded
            await Task.WhenAny(Task.Delay(TimeSpan.FromSeconds(30), CancellationToken.None), done.Task);
            // ok: cancellation-token-not-forwarded
            _ = Task.Run(() => _registry.CheckpointAsync(CancellationToken.None), CancellationToken.None);
            // Do not cancel: a half-written checkpoint corrupts the journal.
            // ok: cancellation-token-not-forwarded
            await _registry.CheckpointAsync(CancellationToken.None);
        }

        // No token of its own to pass on.
        public async Task WarmUpAsync(Uri service)
        {
            // ok: cancellation-token-not-forwarded
            await _registry.RegisterFilterAsync(service, TimeSpan.FromSeconds(5), CancellationToken.None);
        }
    }

    public sealed class EventFeed
    {
        private readonly System.Data.Common.DbConnection _conn;

        public EventFeed(System.Data.Common.DbConnection conn) => _conn = conn;

        public async Task<List<string>> PageAsync(long after, int limit, CancellationToken cancellationToken)
        {
            // ruleid: cancellation-token-not-forwarded
            var events = await GetEvents(after, limit);
            // ruleid: cancellation-token-not-forwarded
            await this.TouchAsync(after);
            // ok: cancellation-token-not-forwarded
            var more = await GetEvents(after + limit, limit, cancellationToken);
            // A method of another object by the same name: its signature is not this file's.
            // ok: cancellation-token-not-forwarded
            var archived = await Archive.GetEvents(after, limit);
            // ok: cancellation-token-not-forwarded
            Format(events);
            events.AddRange(more);
            events.AddRange(archived);
            return events;
        }

        public async Task<List<string>> GetEvents(long after, int limit, CancellationToken cancellationToken = default)
        {
            await _conn.OpenAsync(cancellationToken);
            return new List<string>();
        }

        public Task TouchAsync(long after, CancellationToken cancellationToken = default) => Task.CompletedTask;

        private static void Format(List<string> events) { }

        private static readonly EventArchive Archive = new();
    }

    public sealed class EventArchive
    {
        public Task<List<string>> GetEvents(long after, int limit) => Task.FromResult(new List<string>());
    }

    public static class TokenClientExtensions
    {
        public static async Task<string> RequestTokenRawAsync(this HttpMessageInvoker client, string address, CancellationToken cancellationToken = default)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, address);
            // ruleid: cancellation-token-not-forwarded
            return await client.RequestTokenAsync(request).ConfigureAwait(false);
        }

        public static async Task<string> RequestTokenChecked(this HttpMessageInvoker client, string address, CancellationToken cancellationToken = default)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, address);
            // ok: cancellation-token-not-forwarded
            return await client.RequestTokenAsync(request, cancellationToken).ConfigureAwait(false);
        }

        internal static async Task<string> RequestTokenAsync(this HttpMessageInvoker client, HttpRequestMessage request, CancellationToken cancellationToken = default)
        {
            using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return response.StatusCode.ToString();
        }
    }

    public sealed class ImageFetcher
    {
        private readonly HttpClient _http = new();

        public async Task<List<byte[]>> FetchAllAsync(IEnumerable<string> urls, CancellationToken interrupt)
        {
            var images = new List<byte[]>();
            async Task Load(string url)
            {
                // The method's token, captured by its local function.
                // ok: cancellation-token-not-forwarded
                using var response = await _http.GetAsync(url, interrupt);
                // ok: cancellation-token-not-forwarded
                images.Add(await response.Content.ReadAsByteArrayAsync(interrupt));
            }
            foreach (var url in urls)
            {
                await Load(url);
            }
            return images;
        }
    }

    public class PageParser
    {
        private readonly IBrowsingContext _context = BrowsingContext.New(Configuration.Default.WithDefaultLoader());

        public async Task<string> TitleOfAsync(string html, CancellationToken cancellationToken)
        {
            // An HTML string parsed in memory: nothing to cancel.
            // ok: cancellation-token-not-forwarded
            var doc = await _context.OpenAsync(req => req.Content(html));
            return doc.Title;
        }

        public async Task<string> RemoteTitleAsync(string address, CancellationToken cancellationToken)
        {
            // ruleid: cancellation-token-not-forwarded
            var doc = await _context.OpenAsync(address);
            return doc.Title;
        }
    }

    // A decorator over an interface whose methods take the token: each method hands its work to the inner
    // one of the same name.
    public sealed class TimedRegistry : IMetricsRegistry
    {
        private readonly IMetricsRegistry _inner;

        private readonly LegacyExporter _legacy = new LegacyExporter();

        public TimedRegistry(IMetricsRegistry inner) => _inner = inner;

        public async Task RegisterFilterAsync(Uri service, TimeSpan remaining, CancellationToken cancellationToken)
        {
            // ruleid: cancellation-token-not-forwarded
            await _inner.RegisterFilterAsync(service, remaining).ConfigureAwait(false);
        }

        // ruleid: cancellation-token-not-forwarded
        public Task UnregisterAsync(Uri service, CancellationToken cancellationToken) => _inner.UnregisterAsync(service);

        public async Task ReleaseLeaseAsync(Uri service, CancellationToken cancellationToken)
        {
            // ruleid: cancellation-token-not-forwarded
            await this._inner.ReleaseLeaseAsync(service);
        }

        public Task CheckpointAsync(CancellationToken cancellationToken)
        {
            // ok: cancellation-token-not-forwarded
            return _inner.CheckpointAsync(cancellationToken);
        }

        public async Task ExportAsTextAsync(Stream stream, CancellationToken ct)
        {
            // ok: cancellation-token-not-forwarded
            await _inner.ExportAsTextAsync(stream, ct);
        }

        // ok: cancellation-token-not-forwarded
        public int Limit(Uri service, int? fallback) => _inner.Limit(service, fallback);

        private readonly UserManager<IdentityUser> userManager;

        // ASP.NET Core Identity's managers take no token: nothing to forward it to.
        public async Task<IdentityUser> FindByLoginAsync(string provider, string key, CancellationToken ct)
        {
            // ok: cancellation-token-not-forwarded
            return await userManager.FindByLoginAsync(provider, key);
        }

        // The token is observed another way: the inner call races a delay linked to it.
        public async Task ExportWithinAsync(Stream stream, int millis, CancellationToken cancellationToken)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            // ok: cancellation-token-not-forwarded
            var call = _legacy.ExportWithinAsync(stream, millis);
            if (await Task.WhenAny(call, Task.Delay(millis, linked.Token)) != call)
                throw new TimeoutException();
        }
    }

    public sealed class LegacyExporter
    {
        public Task ExportWithinAsync(Stream stream, int millis) => Task.Delay(millis);
    }

    public interface IMetricsRegistry
    {
        Task RegisterFilterAsync(Uri service, TimeSpan remaining, CancellationToken cancellationToken);
        Task UnregisterAsync(Uri service, CancellationToken cancellationToken);
        Task ReleaseLeaseAsync(Uri service, CancellationToken cancellationToken);
        Task CheckpointAsync(CancellationToken cancellationToken);
        Task ExportAsTextAsync(Stream stream, CancellationToken cancellationToken);
        int Limit(Uri service, int? fallback);
    }
}
