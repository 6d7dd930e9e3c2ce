using MassTransit;
using Pipeline.Contracts;
using Pipeline.Dispatcher.Delivery;
using Pipeline.Dispatcher.Spool;

namespace Pipeline.Dispatcher.Management;

/// <summary>PowerMTA's `pmta pause|resume|delete|schedule` on this Dispatcher's queues. Pauses go through the pause
/// store, so every worker holds them; deletes and retries act on this Dispatcher's spools (a VirtualMTA lives on
/// one Dispatcher). A deleted recipient ends like any other: its outcome is recorded in the spool first, then a
/// Failed <see cref="DeliveryAttempted"/> marked administrative is published, from which the BounceProcessor writes
/// its one final `b` record.</summary>
public sealed class QueueManager(IPauseStore pauses, PauseSynchronizer synchronizer, SpoolRegistry spools, DeliveryQueues queues,
    DeliveryEngine engine, IPublishEndpoint events, TimeProvider clock, ILogger<QueueManager> log)
{
    /// <summary>The reason in the accounting record of a deleted recipient.</summary>
    public const string DeletedReason = "deleted by administrator";

    /// <summary>RFC 3463: other or undefined status, permanent. No receiver said anything about the address.</summary>
    public const string DeletedStatus = "5.0.0";

    /// <summary>Pauses and returns whether it is new; in force on this worker when this returns.</summary>
    public async Task<bool> PauseAsync(PauseTarget target, CancellationToken cancellationToken)
    {
        var added = await pauses.AddAsync(new Pause(target, clock.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        await synchronizer.SyncAsync(cancellationToken).ConfigureAwait(false);
        return added;
    }

    /// <summary>Resumes and returns whether it was paused; its recipients are due again at once.</summary>
    public async Task<bool> ResumeAsync(PauseTarget target, CancellationToken cancellationToken)
    {
        var removed = await pauses.RemoveAsync(target, cancellationToken).ConfigureAwait(false);
        await synchronizer.SyncAsync(cancellationToken).ConfigureAwait(false);
        return removed;
    }

    public Task<IReadOnlyList<Pause>> PausesAsync(CancellationToken cancellationToken) => pauses.ListAsync(cancellationToken);

    /// <summary>Ends every waiting recipient of <paramref name="virtualMta"/> (null: every spool here) towards
    /// <paramref name="domain"/> and/or of <paramref name="jobId"/> (null: any) with an administrative `b`. Recipients
    /// in a transaction right now are not touched: their transaction decides. Returns how many were deleted.</summary>
    public async Task<int> DeleteAsync(string? virtualMta, string? domain, string? jobId, CancellationToken cancellationToken)
    {
        int deleted = 0;
        foreach (var spool in spools.All.Where(s => virtualMta is null || s.VirtualMta.Equals(virtualMta, StringComparison.OrdinalIgnoreCase)))
        {
            // Buffered in a queue first (taken from the spool, not yet sent), then what waits in the spool.
            var work = new List<DueDelivery>();
            foreach (var queue in queues.All.Where(q => q.VirtualMta.Equals(spool.VirtualMta, StringComparison.OrdinalIgnoreCase)
                && (domain is null || q.Domain.Equals(domain, StringComparison.OrdinalIgnoreCase))))
                work.AddRange(queue.TakeBuffered(w => jobId is null || w.Message.JobId == jobId));
            work.AddRange(spool.TakeWhere(domain, jobId));
            int done = 0;
            try
            {
                for (; done < work.Count; done++)
                {
                    var item = work[done];
                    var results = item.Recipients.Select(r => new RecipientResult(r.Address, DeliveryOutcome.Failed, 0, DeletedStatus, DeletedReason, null, null)).ToList();
                    // Not the caller's token: once taken, the recipients must end (or they stay in flight until a restart).
                    await engine.RecordAsync(item, results, spool, events, null, CancellationToken.None, administrative: DeletedReason).ConfigureAwait(false);
                    deleted += results.Count;
                }
            }
            catch (Exception e)
            {
                // What was taken and not ended goes back to the queue, due as now; the operator may delete again.
                // A recipient the failed item did end stays ended: the spool ignores a second completion.
                await GiveBackAsync(work.Skip(done), spool).ConfigureAwait(false);
                if (deleted > 0) ManagementLog.Deleted(log, deleted, Scope(virtualMta, domain, jobId));
                throw new DeleteIncompleteException(deleted, work.Skip(done).Sum(w => w.Recipients.Count), e);
            }
        }
        if (deleted > 0)
            ManagementLog.Deleted(log, deleted, Scope(virtualMta, domain, jobId));
        return deleted;
    }

    private static string Scope(string? virtualMta, string? domain, string? jobId) =>
        jobId is not null ? $"job {jobId}" : $"queue {virtualMta}/{domain}";

    private async Task GiveBackAsync(IEnumerable<DueDelivery> work, Spool.Spool spool)
    {
        var now = clock.GetUtcNow();
        foreach (var item in work)
        {
            try
            {
                await engine.PostponeAsync(item, spool, now, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // The spool itself failed: these stay in flight until the restart, which makes them due again.
                ManagementLog.WorkNotReturned(log, e, item.Message.MessageId, spool.VirtualMta, item.Domain);
            }
        }
    }

    /// <summary>Makes the deferred recipients of a queue due now (PowerMTA's `schedule`); the backoff mode and the
    /// rates still apply. Returns how many moved.</summary>
    public int RetryNow(Spool.Spool spool, string domain)
    {
        var moved = spool.RetryNow(domain);
        ManagementLog.RetriedNow(log, moved, spool.VirtualMta, domain);
        return moved;
    }
}
