using Microsoft.AspNetCore.Http.HttpResults;

namespace Pipeline.Dispatcher.Spool;

/// <summary>GET /status/queues: per VirtualMTA its messages and recipients, and per destination domain how many
/// recipients are due now (queued), wait for a later attempt (deferred) or are being delivered, and the oldest.</summary>
public static class SpoolStatusEndpoint
{
    public sealed record VirtualMtaQueue(string VirtualMta, int Messages, long Recipients, IReadOnlyList<DomainQueueCounts> Domains);

    public static void MapSpoolStatus(this IEndpointRouteBuilder app) =>
        app.MapGet("/status/queues", Ok<List<VirtualMtaQueue>> (SpoolRegistry spools) =>
            TypedResults.Ok(spools.All.Select(s => new VirtualMtaQueue(s.VirtualMta, s.MessageCount, s.RecipientCount, s.Inspect())).ToList()));
}
