using Microsoft.AspNetCore.Http.HttpResults;

namespace Pipeline.Dispatcher.Delivery;

/// <summary>GET /api/v1/queues: what PowerMTA's monitor shows per queue. For every VirtualMTA and destination
/// domain: recipients queued (due), deferred and in flight with the oldest message's age, the provider group whose
/// limits apply, the mode (normal, or backoff and why), open connections (this worker's and across all workers),
/// and the last reply and error. The rows are built by <see cref="QueueStatusRows"/>, which also feeds the fleet view.</summary>
public static class QueueStatusEndpoint
{
    public sealed record QueueStatus(
        string VirtualMta, string Domain, string Group, long Queued, long Deferred, long InFlight, DateTimeOffset? Oldest,
        string Mode, string? BackoffReason, int Connections, int ConnectionsAllWorkers, int Buffered,
        string? LastReply, string? LastError, DateTimeOffset? LastAttemptAt);

    public static void MapQueueStatus(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/queues", async Task<Ok<List<QueueStatus>>> (QueueStatusRows rows, CancellationToken cancellationToken) =>
            TypedResults.Ok(await rows.BuildAsync(cancellationToken).ConfigureAwait(false)));
}
