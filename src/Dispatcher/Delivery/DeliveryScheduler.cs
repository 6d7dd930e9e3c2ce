using Pipeline.Dispatcher.Spool;

namespace Pipeline.Dispatcher.Delivery;

/// <summary>Moves due recipients from each VirtualMTA's spool into its <see cref="DomainQueue"/>s, whose workers
/// deliver under traffic control. A domain whose queue is full (throttled, in backoff, or simply busy) is skipped
/// in the take and its recipients stay in the spool. Sleeps until the next recipient is due or a message arrives,
/// and compacts the spool now and then.</summary>
public sealed class DeliveryScheduler(SpoolRegistry spools, DeliveryQueues queues, TimeProvider clock, ILogger<DeliveryScheduler> log)
    : BackgroundService, IHostedLifecycleService
{
    private readonly CancellationTokenSource _draining = new();

    private const int TakeAtOnce = 256;
    private static readonly TimeSpan LongestSleep = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan CompactEvery = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await spools.Opened.WaitAsync(stoppingToken).ConfigureAwait(false);
        using var taking = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, _draining.Token);
        // The take loops stop at drain; the queue workers keep the host's token so a transaction under way finishes.
        await Task.WhenAll(spools.All.Select(s => RunAsync(s, taking.Token, stoppingToken))).ConfigureAwait(false);
    }

    /// <summary>Called before any hosted service stops: deliveries under way end, and their outcomes are recorded and
    /// published, while the bus still runs (it is registered after this and would otherwise stop first).</summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        await _draining.CancelAsync().ConfigureAwait(false);
        await queues.DrainAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Dispose()
    {
        _draining.Dispose();
        base.Dispose();
    }

    private async Task RunAsync(Spool.Spool spool, CancellationToken takingToken, CancellationToken stoppingToken)
    {
        var nextCompaction = clock.GetUtcNow() + CompactEvery;
        try
        {
            while (!takingToken.IsCancellationRequested)
            {
                var due = spool.TakeDue(TakeAtOnce, domain => queues.HasRoom(spool.VirtualMta, domain));
                foreach (var work in due) queues.For(spool, work.Domain).Enqueue(work, stoppingToken);

                var now = clock.GetUtcNow();
                if (now >= nextCompaction)
                {
                    nextCompaction = now + CompactEvery;
                    try { await spool.CompactAsync(takingToken).ConfigureAwait(false); }
                    catch (Exception e) when (e is not OperationCanceledException) { DispatcherLog.CompactionFailed(log, e, spool.VirtualMta); }
                }
                if (due.Count >= TakeAtOnce) continue;
                // Due work may be waiting behind full queues: look again soon, not only when new work arrives.
                var sleep = spool.NextDueAt is { } next ? next - clock.GetUtcNow() : LongestSleep;
                if (due.Count > 0 || sleep < TimeSpan.FromMilliseconds(20)) sleep = TimeSpan.FromMilliseconds(20);
                await spool.WaitForWorkAsync(sleep < LongestSleep ? sleep : LongestSleep, takingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (takingToken.IsCancellationRequested) { }
    }
}
