using Pipeline.Shared.Hosting;
using Pipeline.BounceProcessor.State;

namespace Pipeline.BounceProcessor.Http;

/// <summary>The suppression list over HTTP on the BounceProcessor's listener (loopback by default):
/// <c>GET /suppressions[?senderDomain=&amp;limit=]</c>, <c>GET|DELETE /suppressions/{senderDomain}/{recipient}</c>,
/// <c>POST /suppressions</c> with <c>{"senderDomain": "example.com" or "*", "recipient": "...", "reason": "..."}</c>.
/// Errors are problem+json.</summary>
public static class SuppressionEndpoints
{
    private const int MaxLimit = 100_000;

    public sealed record SuppressRequest(string? SenderDomain, string? Recipient, string? Reason);

    public static void MapSuppressionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/suppressions", async (ISuppressionList list, string? senderDomain, int? limit, CancellationToken ct) =>
        {
            var take = limit ?? 1000;
            if (take is < 1 or > MaxLimit)
                return Results.Problem($"limit must be between 1 and {MaxLimit}", statusCode: 400, title: "Bad limit");
            return Results.Ok(await list.ListAsync(senderDomain, take, ct).ConfigureAwait(false));
        }).RequireAccess(HttpAccessLevel.Admin); // recipient addresses: not for the read-only monitor level

        app.MapGet("/suppressions/{senderDomain}/{recipient}", async (ISuppressionList list, string senderDomain, string recipient, CancellationToken ct) =>
            await list.FindAsync(senderDomain, recipient, ct).ConfigureAwait(false) is { } entry
                ? Results.Ok(entry)
                : Results.Problem($"{recipient} is not suppressed for {senderDomain}", statusCode: 404, title: "Not suppressed"))
            .RequireAccess(HttpAccessLevel.Admin);

        app.MapPost("/suppressions", async (ISuppressionList list, TimeProvider clock, SuppressRequest? request, CancellationToken ct) =>
        {
            if (request?.Recipient is not { } recipient || !IsAddress(recipient))
                return Results.Problem("'recipient' must be an address like user@example.com", statusCode: 400, title: "Bad recipient");
            var domain = string.IsNullOrWhiteSpace(request.SenderDomain) ? SuppressionEntry.AnySender : request.SenderDomain.Trim().ToLowerInvariant();
            if (domain != SuppressionEntry.AnySender && Uri.CheckHostName(domain) != UriHostNameType.Dns)
                return Results.Problem($"'senderDomain' '{domain}' is not a domain name or *", statusCode: 400, title: "Bad sender domain");
            var entry = new SuppressionEntry(domain, SuppressionEntry.Normalise(recipient), request.Reason ?? "added by operator", "manual", "manual", clock.GetUtcNow());
            var added = await list.AddAsync(entry, ct).ConfigureAwait(false);
            return added ? Results.Created($"/suppressions/{domain}/{entry.Recipient}", entry) : Results.Ok(entry);
        });

        app.MapDelete("/suppressions/{senderDomain}/{recipient}", async (ISuppressionList list, string senderDomain, string recipient, CancellationToken ct) =>
            await list.RemoveAsync(senderDomain, recipient, ct).ConfigureAwait(false)
                ? Results.NoContent()
                : Results.Problem($"{recipient} is not suppressed for {senderDomain}", statusCode: 404, title: "Not suppressed"));
    }

    private static bool IsAddress(string text)
    {
        var at = text.LastIndexOf('@');
        return at > 0 && at < text.Length - 1 && !text.Any(char.IsWhiteSpace) && text.IndexOf('@') == at;
    }
}
