using Pipeline.BounceProcessor.Accounting;
using Pipeline.Shared.Hosting;

namespace Pipeline.BounceProcessor.Http;

/// <summary>GET /api/v1/messages/{id}/trace: every accounting line of a message (by Message-ID or pipeline id), in
/// the order written. Recipients' addresses are personal data, so it needs the `admin` level.</summary>
public static class AccountingTraceEndpoint
{
    public sealed record Trace(string Id, IReadOnlyList<AccountingTrace.TracedRecord> Records);

    public static void MapAccountingTrace(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/messages/{id}/trace", async (string id, AccountingTrace trace, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(id) || id.Length > 998)
                return Results.Problem("the id is a Message-ID or a pipeline id", statusCode: 400, title: "Bad message id");
            var records = await trace.FindAsync(id, ct).ConfigureAwait(false);
            return records.Count == 0
                ? Results.Problem($"no accounting record names message '{id}' (as messageId or pipelineId)", statusCode: 404, title: "Unknown message")
                : Results.Ok(new Trace(id, records));
        }).RequireAccess(HttpAccessLevel.Admin);
}
