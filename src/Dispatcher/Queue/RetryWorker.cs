using MassTransit;
using Pipeline.Dispatcher.Delivery;

namespace Pipeline.Dispatcher.Queue;

/// <summary>Takes deferred messages of the VirtualMTAs this Dispatcher serves out of the <see cref="DeferredStore"/>
/// when their next attempt is due. Timed retries live here, not in the broker (DESIGN.md).</summary>
public sealed class RetryWorker(DeferredStore store, DeliveryEngine engine, ServedVirtualMtas served, IBus bus,
    TimeProvider clock, ILogger<RetryWorker> log) : BackgroundService
{
    private static readonly TimeSpan ScanInterval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(ScanInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            foreach (var deferred in await store.DueAsync(served.Names, clock.GetUtcNow(), stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await engine.DeliverAsync(deferred.Message, deferred.Recipients, deferred.Attempts + 1, bus, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The file stays; the next scan tries again.
                    log.LogError(e, "Retry of {MessageId} failed", deferred.Message.MessageId);
                }
            }
        }
    }
}
