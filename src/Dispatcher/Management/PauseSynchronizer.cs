using System.Runtime.ExceptionServices;
using Pipeline.Dispatcher.Delivery;
using Pipeline.Dispatcher.Spool;

namespace Pipeline.Dispatcher.Management;

/// <summary>Makes this Dispatcher's spools hold what the pause store says: at start (before the scheduler takes its
/// first work, so a pause outlasts a restart), right after a pause or resume made here, and every
/// <see cref="Interval"/> for those made through another worker. A new pause also takes the matching work its
/// queues had already buffered back into the spool, so nothing more of it starts once the pause is answered;
/// transactions under way finish. Until the store has answered once, every spool here is held: a pause made before
/// a restart must not be delivered through because Redis was slow to come back.</summary>
public sealed class PauseSynchronizer(IPauseStore store, SpoolRegistry spools, DeliveryQueues queues, DeliveryEngine engine,
    TimeProvider clock, ILogger<PauseSynchronizer> log) : BackgroundService
{
    /// <summary>How soon a pause made through another worker holds here.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private Dictionary<string, PauseTarget> _applied = [];
    private DateTimeOffset _lastWarning = DateTimeOffset.MinValue;
    // False until the store has answered once; while false every spool is held (set under the gate).
    private bool _synced;

    /// <summary>The pauses this worker holds now.</summary>
    public IReadOnlyCollection<PauseTarget> Applied => [.. Volatile.Read(ref _applied).Values];

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await spools.Opened.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (!await TrySyncAsync(cancellationToken).ConfigureAwait(false))
        {
            // The pauses are unknown: holding everything is the only answer that cannot deliver paused mail. The
            // first sync that reads the store applies the real pauses and lifts this blanket hold.
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (!_synced)
                {
                    foreach (var spool in spools.All) spool.HoldAll(true);
                    ManagementLog.AllHeldUntilPauseStoreAnswers(log);
                }
            }
            finally
            {
                _gate.Release();
            }
        }
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

    /// <summary>Syncs; false (and a warning a minute) when the store cannot be read.</summary>
    private async Task<bool> TrySyncAsync(CancellationToken cancellationToken)
    {
        try
        {
            await SyncAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Redis away: the pauses in force stay in force (safer than releasing held mail), and a warning a minute.
            var now = clock.GetUtcNow();
            if (now - _lastWarning < TimeSpan.FromMinutes(1)) return false;
            _lastWarning = now;
            ManagementLog.PauseStoreUnreadable(log, e.Message);
            return false;
        }
    }

    /// <summary>Reads the store and holds or releases the difference.</summary>
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Read under the gate: a list read before it could be older than the one a pause or resume made here
            // has just applied, and would undo it until the next sync.
            var wanted = (await store.ListAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(p => p.Target.Key, p => p.Target);
            foreach (var (key, target) in wanted)
                if (!_applied.ContainsKey(key)) await HoldAsync(target).ConfigureAwait(false);
            foreach (var (key, target) in _applied)
                if (!wanted.ContainsKey(key)) Release(target);
            // Replaced whole, never changed in place: Applied reads it without the gate.
            Volatile.Write(ref _applied, wanted);
            if (!_synced)
            {
                // First answer from the store: lift the start's blanket hold wherever no VirtualMTA pause holds.
                _synced = true;
                foreach (var spool in spools.All)
                    if (!wanted.Values.Any(t => t.Kind == PauseKind.VirtualMta && Affected(t).Contains(spool))) spool.HoldAll(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task HoldAsync(PauseTarget target)
    {
        Exception? failure = null;
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
                // Each on its own: one that cannot go back must not leave the others in flight until a restart.
                foreach (var work in queue.TakeBuffered(w => target.Holds(spool.VirtualMta, w.Domain, w.Message.JobId)))
                {
                    try
                    {
                        await engine.PostponeAsync(work, spool, now, CancellationToken.None).ConfigureAwait(false);
                    }
                    catch (Exception e)
                    {
                        ManagementLog.WorkNotReturned(log, e, work.Message.MessageId, spool.VirtualMta, work.Domain);
                        failure ??= e;
                    }
                }
            }
        }
        ManagementLog.Paused(log, target.Key);
        // The hold is in force; the caller still learns that some work stays in flight until a restart.
        if (failure is not null) ExceptionDispatchInfo.Throw(failure);
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
