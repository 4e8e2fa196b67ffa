using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Registry;

namespace Orders.Api;

public sealed record OutboxMessage(string Id, string OrderId);

public interface IOutboxStore
{
    Task<IReadOnlyList<OutboxMessage>> NextBatchAsync(int size, CancellationToken ct);
    Task MarkSentAsync(string id, CancellationToken ct);
}

// Publishes captured payments from the outbox table.
public sealed class OutboxWorker : BackgroundService
{
    private readonly IOutboxStore _store;
    private readonly PaymentsClient _payments;
    private readonly ResiliencePipeline _pipeline;
    private readonly ILogger<OutboxWorker> _logger;

    public OutboxWorker(IOutboxStore store, PaymentsClient payments, ResiliencePipelineProvider<string> pipelines, ILogger<OutboxWorker> logger)
    {
        _store = store;
        _payments = payments;
        _pipeline = pipelines.GetPipeline("outbox");
        _logger = logger;
    }

    // CORRECT: a polling loop that honours shutdown and logs failures.
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var batch = await _store.NextBatchAsync(50, stoppingToken);
                foreach (var message in batch)
                {
                    await _pipeline.ExecuteAsync(async ct => await PublishAsync(message, ct), stoppingToken);
                }
            }
            catch (HttpRequestException ex)
            {
                _logger.LogError(ex, "Outbox publish failed; next poll in 10 s");
            }
            await Task.Delay(TimeSpan.FromSeconds(10), stoppingToken);
        }
    }

    private async Task PublishAsync(OutboxMessage message, CancellationToken ct)
    {
        await _payments.CaptureAsync(message.OrderId, ct);
        await _store.MarkSentAsync(message.Id, ct);
    }

    // GAP: retries one message forever, sleeping on a pool thread, with no token forwarded.
    public async Task ReplayAsync(OutboxMessage message, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                await _payments.CaptureAsync(message.OrderId, ct);
                break;
            }
            catch (HttpRequestException)
            {
                Thread.Sleep(1000);
            }
        }
        await Task.Delay(100);
    }

    // GAP: replays the whole backlog at once (no concurrency bound) from an async void handler.
    public async void OnBacklogDetected(IReadOnlyList<OutboxMessage> backlog)
    {
        await Task.WhenAll(backlog.Select(m => ReplayAsync(m, CancellationToken.None)));
    }
}
