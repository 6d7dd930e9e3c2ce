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
    /// <summary>The domain of the row that sums the domains beyond the limit.</summary>
    public const string OtherDomains = "(other)";

    /// <summary>Every queue's row; with <paramref name="limitPerVirtualMta"/>, the active queues and then the deepest
    /// ones up to that many per VirtualMTA, the rest summed in one <see cref="OtherDomains"/> row (the fleet snapshot:
    /// a spool can hold mail for 100,000 domains, and each row costs lookups in the shared state).</summary>
    public async Task<List<QueueStatus>> BuildAsync(CancellationToken cancellationToken, int? limitPerVirtualMta = null)
    {
        var rows = new List<QueueStatus>();
        // Mode and connection count belong to the provider group: asked once per group, not per domain.
        var perGroup = new Dictionary<(string VirtualMta, string Group), (QueueMode Mode, int Connections)>();
        foreach (var spool in spools.All)
        {
            var counts = spool.Inspect().ToDictionary(c => c.Domain, StringComparer.OrdinalIgnoreCase);
            var active = queues.All.Where(q => q.VirtualMta.Equals(spool.VirtualMta, StringComparison.OrdinalIgnoreCase))
                .ToDictionary(q => q.Domain, StringComparer.OrdinalIgnoreCase);
            var domains = counts.Keys.Union(active.Keys, StringComparer.OrdinalIgnoreCase).ToList();
            List<string> rest = [];
            if (limitPerVirtualMta is { } limit && domains.Count > limit)
            {
                var ranked = domains
                    .OrderByDescending(d => active.ContainsKey(d))
                    .ThenByDescending(d => counts.TryGetValue(d, out var c) ? c.Total : 0)
                    .ToList();
                domains = ranked.Take(limit).ToList();
                rest = ranked.Skip(limit).ToList();
            }
            foreach (var domain in domains.Order(StringComparer.OrdinalIgnoreCase))
            {
                counts.TryGetValue(domain, out var c);
                active.TryGetValue(domain, out var q);
                var group = q?.Group ?? await groups.GroupOfAsync(domain, cancellationToken).ConfigureAwait(false);
                if (!perGroup.TryGetValue((spool.VirtualMta, group), out var shared))
                {
                    shared = (await traffic.ModeAsync(spool.VirtualMta, group, cancellationToken).ConfigureAwait(false),
                        await traffic.OpenConnectionsAsync(spool.VirtualMta, group, cancellationToken).ConfigureAwait(false));
                    perGroup[(spool.VirtualMta, group)] = shared;
                }
                rows.Add(new QueueStatus(spool.VirtualMta, domain, group, c?.Queued ?? 0, c?.Deferred ?? 0, c?.InFlight ?? 0, c?.Oldest,
                    shared.Mode.InBackoff ? "backoff" : "normal", shared.Mode.Reason, q?.Workers ?? 0, shared.Connections, q?.Buffered ?? 0,
                    q?.LastReply, q?.LastError, q?.LastAttemptAt));
            }
            if (rest.Count > 0)
            {
                var summed = rest.Select(d => counts.GetValueOrDefault(d)).OfType<DomainQueueCounts>().ToList();
                var other = summed.Count == 0 ? null : DomainQueueCounts.Combined(OtherDomains, summed);
                rows.Add(new QueueStatus(spool.VirtualMta, OtherDomains, $"{rest.Count} domains", other?.Queued ?? 0, other?.Deferred ?? 0,
                    other?.InFlight ?? 0, other?.Oldest, "normal", null, 0, 0, 0, null, null, null));
            }
        }
        return rows;
    }
}
