using System;
using System.Net.Http;
using System.Net.Http.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Data.SqlClient;
using Microsoft.Extensions.Logging;

namespace Orders.Api;

public sealed record OrderDto(string Id, string CustomerId, decimal Total, string Status);
public sealed record StockDto(string Sku, int Available);

[ApiController]
[Route("orders")]
public sealed class OrdersController : ControllerBase
{
    private readonly SqlConnection _db;
    private readonly IHttpClientFactory _httpFactory;
    private readonly PaymentsClient _payments;
    private readonly ILogger<OrdersController> _logger;

    public OrdersController(SqlConnection db, IHttpClientFactory httpFactory, PaymentsClient payments, ILogger<OrdersController> logger)
    {
        _db = db;
        _httpFactory = httpFactory;
        _payments = payments;
        _logger = logger;
    }

    // GAP: SQL built from the route value; sync-over-async on the payments call.
    [HttpGet("legacy/{customerId}")]
    public IActionResult ListLegacy(string customerId)
    {
        using var cmd = new SqlCommand($"SELECT Id, Total, Status FROM Orders WHERE CustomerId = '{customerId}'", _db);
        using var reader = cmd.ExecuteReader();
        var balance = _payments.GetBalanceAsync(customerId, CancellationToken.None).Result;
        return Ok(new { rows = reader.HasRows, balance });
    }

    // GAP: a new HttpClient (and connection pool) per request; failures silently ignored.
    [HttpGet("legacy/{id}/stock")]
    public async Task<IActionResult> StockLegacy(string id)
    {
        using var http = new HttpClient();
        StockDto? stock = null;
        try
        {
            stock = await http.GetFromJsonAsync<StockDto>($"https://inventory.internal/stock/{id}");
        }
        catch (Exception)
        {
        }
        return Ok(stock);
    }

    // CORRECT: parameterized SQL, factory client, request token forwarded, failure logged and surfaced.
    [HttpGet("{customerId}")]
    public async Task<IActionResult> List(string customerId, CancellationToken ct)
    {
        await using var cmd = new SqlCommand("SELECT Id, Total, Status FROM Orders WHERE CustomerId = @customerId", _db);
        cmd.Parameters.AddWithValue("@customerId", customerId);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var balance = await _payments.GetBalanceAsync(customerId, ct);
        return Ok(new { rows = reader.HasRows, balance });
    }

    [HttpGet("{id}/stock")]
    public async Task<IActionResult> Stock(string id, CancellationToken ct)
    {
        var http = _httpFactory.CreateClient("inventory");
        try
        {
            return Ok(await http.GetFromJsonAsync<StockDto>($"/stock/{id}", ct));
        }
        catch (HttpRequestException ex)
        {
            _logger.LogWarning(ex, "Inventory lookup failed for {OrderId}", id);
            return StatusCode(503);
        }
    }
}
