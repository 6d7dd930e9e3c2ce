using Pipeline.Dispatcher.Routing;
using Pipeline.Dispatcher.Spool;
using Pipeline.Dispatcher.Traffic;
using static Pipeline.Dispatcher.Delivery.QueueStatusEndpoint;

namespace Pipeline.Dispatcher.Delivery;

/// <summary>This worker's queues as PowerMTA's monitor shows them, for GET /api/v1/queues and for the snapshot
/// published to the status board: for every VirtualMTA and destination domain with mail in the spool or an active
/// queue, recipients queued (due), deferred and in flight with the oldest message's age, the provider group, the
/// mode (normal, or backoff and why), open connections (this worker's and across all workers), the last reply and error.</summary>
public sealed class QueueStatusRows(SpoolRegistry spools, DeliveryQueues queues, DomainGroups groups, TrafficController traffic)
{
    public async Task<List<QueueStatus>> BuildAsync(CancellationToken cancellationToken)
    {
        var rows = new List<QueueStatus>();
        foreach (var spool in spools.All)
        {
            var counts = spool.Inspect().ToDictionary(c => c.Domain, StringComparer.OrdinalIgnoreCase);
            var active = queues.All.Where(q => q.VirtualMta.Equals(spool.VirtualMta, StringComparison.OrdinalIgnoreCase))
                .ToDictionary(q => q.Domain, StringComparer.OrdinalIgnoreCase);
            foreach (var domain in counts.Keys.Union(active.Keys, StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase))
            {
                counts.TryGetValue(domain, out var c);
                active.TryGetValue(domain, out var q);
                var group = q?.Group ?? await groups.GroupOfAsync(domain, cancellationToken).ConfigureAwait(false);
                var mode = await traffic.ModeAsync(spool.VirtualMta, group, cancellationToken).ConfigureAwait(false);
                var everywhere = await traffic.OpenConnectionsAsync(spool.VirtualMta, group, cancellationToken).ConfigureAwait(false);
                rows.Add(new QueueStatus(spool.VirtualMta, domain, group, c?.Queued ?? 0, c?.Deferred ?? 0, c?.InFlight ?? 0, c?.Oldest,
                    mode.InBackoff ? "backoff" : "normal", mode.Reason, q?.Workers ?? 0, everywhere, q?.Buffered ?? 0,
                    q?.LastReply, q?.LastError, q?.LastAttemptAt));
            }
        }
        return rows;
    }
}
