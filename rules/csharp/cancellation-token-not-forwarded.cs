using System;
using System.Collections.Generic;
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
            await Task.Delay(TimeSpan.FromMilliseconds(50));
            return Ok(new { order, carrier, tracking = response.StatusCode });
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

        [HttpGet("orders")]
        public async Task<IActionResult> List()
        {
            // No token in scope (MA0032 territory, not this rule).
            // ok: cancellation-token-not-forwarded
            return Ok(await _db.Orders.ToListAsync());
        }
    }
}
