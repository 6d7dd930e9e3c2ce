using Pipeline.Dispatcher.Spool;

namespace Pipeline.Dispatcher.Delivery;

/// <summary>Moves due recipients from each VirtualMTA's spool into its <see cref="DomainQueue"/>s, whose workers
/// deliver under traffic control. A domain whose queue is full (throttled, in backoff, or simply busy) is skipped
/// in the take and its recipients stay in the spool. Sleeps until the next recipient is due or a message arrives,
/// and compacts the spool now and then.</summary>
public sealed class DeliveryScheduler(SpoolRegistry spools, DeliveryQueues queues, TimeProvider clock, ILogger<DeliveryScheduler> log)
    : BackgroundService
{
    private const int TakeAtOnce = 256;
    private static readonly TimeSpan LongestSleep = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan CompactEvery = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await spools.Opened.WaitAsync(stoppingToken).ConfigureAwait(false);
        await Task.WhenAll(spools.All.Select(s => RunAsync(s, stoppingToken))).ConfigureAwait(false);
    }

    private async Task RunAsync(Spool.Spool spool, CancellationToken stoppingToken)
    {
        var nextCompaction = clock.GetUtcNow() + CompactEvery;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var due = spool.TakeDue(TakeAtOnce, domain => queues.HasRoom(spool.VirtualMta, domain));
                foreach (var work in due) queues.For(spool, work.Domain).Enqueue(work, stoppingToken);

                var now = clock.GetUtcNow();
                if (now >= nextCompaction)
                {
                    nextCompaction = now + CompactEvery;
                    try { await spool.CompactAsync(stoppingToken).ConfigureAwait(false); }
                    catch (Exception e) when (e is not OperationCanceledException) { DispatcherLog.CompactionFailed(log, e, spool.VirtualMta); }
                }
                if (due.Count >= TakeAtOnce) continue;
                // Due work may be waiting behind full queues: look again soon, not only when new work arrives.
                var sleep = spool.NextDueAt is { } next ? next - clock.GetUtcNow() : LongestSleep;
                if (due.Count > 0 || sleep < TimeSpan.FromMilliseconds(20)) sleep = TimeSpan.FromMilliseconds(20);
                await spool.WaitForWorkAsync(sleep < LongestSleep ? sleep : LongestSleep, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }
}
