using Pipeline.Dispatcher.Delivery;
using Pipeline.Dispatcher.Spool;

namespace Pipeline.Dispatcher.Management;

/// <summary>Makes this Dispatcher's spools hold what the pause store says: at start (before the scheduler takes its
/// first work, so a pause outlasts a restart), right after a pause or resume made here, and every
/// <see cref="Interval"/> for those made through another worker. A new pause also takes the matching work its
/// queues had already buffered back into the spool, so nothing more of it starts once the pause is answered;
/// transactions under way finish.</summary>
public sealed class PauseSynchronizer(IPauseStore store, SpoolRegistry spools, DeliveryQueues queues, DeliveryEngine engine,
    TimeProvider clock, ILogger<PauseSynchronizer> log) : BackgroundService
{
    /// <summary>How soon a pause made through another worker holds here.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private Dictionary<string, PauseTarget> _applied = [];
    private DateTimeOffset _lastWarning = DateTimeOffset.MinValue;

    /// <summary>The pauses this worker holds now.</summary>
    public IReadOnlyCollection<PauseTarget> Applied => [.. Volatile.Read(ref _applied).Values];

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await spools.Opened.WaitAsync(cancellationToken).ConfigureAwait(false);
        await TrySyncAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(Interval, clock, stoppingToken).ConfigureAwait(false);
                await TrySyncAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    private async Task TrySyncAsync(CancellationToken cancellationToken)
    {
        try
        {
            await SyncAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Redis away: the pauses in force stay in force (safer than releasing held mail), and a warning a minute.
            var now = clock.GetUtcNow();
            if (now - _lastWarning < TimeSpan.FromMinutes(1)) return;
            _lastWarning = now;
            ManagementLog.PauseStoreUnreadable(log, e.Message);
        }
    }

    /// <summary>Reads the store and holds or releases the difference.</summary>
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        var wanted = (await store.ListAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(p => p.Target.Key, p => p.Target);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var (key, target) in wanted)
                if (!_applied.ContainsKey(key)) await HoldAsync(target).ConfigureAwait(false);
            foreach (var (key, target) in _applied)
                if (!wanted.ContainsKey(key)) Release(target);
            // Replaced whole, never changed in place: Applied reads it without the gate.
            Volatile.Write(ref _applied, wanted);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task HoldAsync(PauseTarget target)
    {
        foreach (var spool in Affected(target))
        {
            switch (target.Kind)
            {
                case PauseKind.VirtualMta: spool.HoldAll(true); break;
                case PauseKind.Queue: spool.HoldDomain(target.Domain!); break;
                case PauseKind.Job: spool.HoldJob(target.JobId!); break;
            }
            // Buffered work back into the spool, due as it was: the hold keeps it there.
            var now = clock.GetUtcNow();
            foreach (var queue in queues.All.Where(q => q.VirtualMta.Equals(spool.VirtualMta, StringComparison.OrdinalIgnoreCase)))
            {
                foreach (var work in queue.TakeBuffered(w => target.Holds(spool.VirtualMta, w.Domain, w.Message.JobId)))
                    await engine.PostponeAsync(work, spool, now, CancellationToken.None).ConfigureAwait(false);
            }
        }
        ManagementLog.Paused(log, target.Key);
    }

    private void Release(PauseTarget target)
    {
        foreach (var spool in Affected(target))
        {
            switch (target.Kind)
            {
                case PauseKind.VirtualMta: spool.HoldAll(false); break;
                case PauseKind.Queue: spool.ReleaseDomain(target.Domain!); break;
                case PauseKind.Job: spool.ReleaseJob(target.JobId!); break;
            }
        }
        ManagementLog.Resumed(log, target.Key);
    }

    /// <summary>This Dispatcher's spools the pause concerns (none when another worker serves its VirtualMTA).</summary>
    private IEnumerable<Spool.Spool> Affected(PauseTarget target) =>
        target.Kind == PauseKind.Job
            ? spools.All
            : spools.All.Where(s => s.VirtualMta.Equals(target.VirtualMta, StringComparison.OrdinalIgnoreCase));

    public override void Dispose()
    {
        _gate.Dispose();
        base.Dispose();
    }
}
