using Microsoft.AspNetCore.Http.HttpResults;
using Pipeline.Dispatcher.Routing;
using Pipeline.Dispatcher.Spool;
using Pipeline.Dispatcher.Traffic;

namespace Pipeline.Dispatcher.Delivery;

/// <summary>GET /api/v1/queues: what PowerMTA's monitor shows per queue. For every VirtualMTA and destination
/// domain: recipients queued (due), deferred and in flight with the oldest message's age, the provider group whose
/// limits apply, the mode (normal, or backoff and why), open connections (this worker's and across all workers),
/// and the last reply and error.</summary>
public static class QueueStatusEndpoint
{
    public sealed record QueueStatus(
        string VirtualMta, string Domain, string Group, long Queued, long Deferred, long InFlight, DateTimeOffset? Oldest,
        string Mode, string? BackoffReason, int Connections, int ConnectionsAllWorkers, int Buffered,
        string? LastReply, string? LastError, DateTimeOffset? LastAttemptAt);

    public static void MapQueueStatus(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/queues", async Task<Ok<List<QueueStatus>>> (SpoolRegistry spools, DeliveryQueues queues, DomainGroups groups,
            TrafficController traffic, CancellationToken cancellationToken) =>
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
            return TypedResults.Ok(rows);
        });
}
