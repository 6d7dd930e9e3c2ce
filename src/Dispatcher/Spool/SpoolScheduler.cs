using MassTransit;
using Pipeline.Dispatcher.Delivery;

namespace Pipeline.Dispatcher.Spool;

/// <summary>Moves due recipients from each spool to delivery: takes due work through <see cref="IDeliveryQueue"/>, runs
/// up to <see cref="MaxConcurrentDeliveries"/> transactions per VirtualMTA at once, sleeps until the next recipient is
/// due or a message arrives, and compacts the spool now and then. Throttles per destination belong to the delivery
/// side (traffic control), not here.</summary>
public sealed class SpoolScheduler(SpoolRegistry spools, DeliveryEngine engine, IBus bus, TimeProvider clock, ILogger<SpoolScheduler> log)
    : BackgroundService
{
    public const int MaxConcurrentDeliveries = 32;
    private const int TakeAtOnce = 64;
    private static readonly TimeSpan LongestSleep = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan CompactEvery = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await spools.Opened.WaitAsync(stoppingToken).ConfigureAwait(false);
        await Task.WhenAll(spools.All.Select(s => RunAsync(s, stoppingToken))).ConfigureAwait(false);
    }

    private async Task RunAsync(Spool spool, CancellationToken stoppingToken)
    {
        using var slots = new SemaphoreSlim(MaxConcurrentDeliveries);
        var running = new HashSet<Task>();
        var nextCompaction = clock.GetUtcNow() + CompactEvery;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var due = spool.TakeDue(TakeAtOnce);
                foreach (var work in due)
                {
                    await slots.WaitAsync(stoppingToken).ConfigureAwait(false);
                    var task = DeliverAsync(spool, work, slots, stoppingToken);
                    lock (running) running.Add(task);
                    _ = task.ContinueWith(t => { lock (running) running.Remove(t); }, TaskScheduler.Default);
                }
                var now = clock.GetUtcNow();
                if (now >= nextCompaction)
                {
                    nextCompaction = now + CompactEvery;
                    try { await spool.CompactAsync(stoppingToken).ConfigureAwait(false); }
                    catch (Exception e) when (e is not OperationCanceledException) { DispatcherLog.CompactionFailed(log, e, spool.VirtualMta); }
                }
                if (due.Count > 0) continue;
                var sleep = spool.NextDueAt is { } next ? next - clock.GetUtcNow() : LongestSleep;
                await spool.WaitForWorkAsync(sleep < LongestSleep ? sleep : LongestSleep, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        Task[] rest;
        lock (running) rest = [.. running];
        await Task.WhenAll(rest).ConfigureAwait(false);
    }

    private async Task DeliverAsync(Spool spool, DueDelivery work, SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Yield();
            await engine.DeliverAsync(work, spool, bus, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        catch (Exception e)
        {
            // The recipients stay in flight until a restart rather than being retried in a tight loop.
            DispatcherLog.DeliveryCrashed(log, e, work.Message.MessageId, spool.VirtualMta);
        }
        finally
        {
            slots.Release();
        }
    }
}
