using MassTransit;
using Pipeline.Dispatcher.Delivery;

namespace Pipeline.Dispatcher.Spool;

/// <summary>Moves due recipients from each spool to delivery: takes due work through <see cref="IDeliveryQueue"/>, runs
/// up to <see cref="MaxConcurrentDeliveries"/> transactions per VirtualMTA at once, sleeps until the next recipient is
/// due or a message arrives, and compacts the spool now and then. Throttles per destination belong to the delivery
/// side (traffic control), not here.</summary>
public sealed class SpoolScheduler(SpoolRegistry spools, DeliveryEngine engine, IBus bus, TimeProvider clock, ILogger<SpoolScheduler> log)
    : BackgroundService, IHostedLifecycleService
{
    private readonly CancellationTokenSource _draining = new();
    private Task _running = Task.CompletedTask;

    public const int MaxConcurrentDeliveries = 32;
    private const int TakeAtOnce = 64;
    private static readonly TimeSpan LongestSleep = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan CompactEvery = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RetryAfterCrash = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, _draining.Token);
        await spools.Opened.WaitAsync(stop.Token).ConfigureAwait(false);
        _running = Task.WhenAll(spools.All.Select(s => RunAsync(s, stop.Token)));
        await _running.ConfigureAwait(false);
    }

    /// <summary>Called before any hosted service stops: deliveries end while the bus can still publish their events
    /// (the bus is registered after this and would otherwise stop first).</summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        await _draining.CancelAsync().ConfigureAwait(false);
        await _running.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Dispose()
    {
        _draining.Dispose();
        base.Dispose();
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
            DispatcherLog.DeliveryCrashed(log, e, work.Message.MessageId, spool.VirtualMta);
            // Back in the queue a little later rather than in flight for ever, or retried in a tight loop. Recipients
            // whose outcome the engine already recorded are not in flight any more and are left alone by the spool.
            var later = (clock.GetUtcNow() + RetryAfterCrash).UtcTicks;
            var release = work.Recipients.Select(r => new RecipientCompletion(r.Handle,
                new RecipientStatus(RecipientState.Deferred, (ushort)r.AttemptsSoFar, later))).ToList();
            try { await spool.CompleteAsync(release, stoppingToken).ConfigureAwait(false); }
            catch (Exception again) when (again is not OperationCanceledException) { DispatcherLog.DeliveryCrashed(log, again, work.Message.MessageId, spool.VirtualMta); }
            catch (OperationCanceledException) { }
        }
        finally
        {
            slots.Release();
        }
    }
}
