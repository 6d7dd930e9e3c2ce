using Pipeline.Dispatcher.Spool;
using Pipeline.Dispatcher.Traffic;
using Pipeline.Shared.Configuration;

namespace Pipeline.Dispatcher.Management;

/// <summary>PowerMTA's `pmta show vmtas` and `pmta show topdomains` over HTTP (reading: `monitor`):
/// GET /api/v1/vmtas and GET /api/v1/domains/top?limit=N.</summary>
public static class OverviewEndpoints
{
    private const int MaxLimit = 10_000;

    /// <param name="Served">This Dispatcher delivers for it (its counts are here; another worker's otherwise).</param>
    /// <param name="WarmUpCap">Messages it may send today under its warm-up schedule; null when uncapped.</param>
    public sealed record VirtualMtaView(string Name, string SourceIp, string HostName, IReadOnlyList<string> Pools, bool Served,
        long Queued, long Deferred, long InFlight, bool Paused, IReadOnlyList<string> PausedQueues, int? WarmUpCap,
        string? SourceIpMaxMsgRate, int? SourceIpMaxSmtpOut);

    public sealed record DomainView(string Domain, long Recipients, long Queued, long Deferred, long InFlight, int VirtualMtas, DateTimeOffset Oldest);

    public static void MapOverview(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/vmtas", async (PipelineOptions options, SpoolRegistry spools, QueueManager manager, TimeProvider clock, CancellationToken ct) =>
        {
            var pauses = await manager.PausesAsync(ct).ConfigureAwait(false);
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            var rows = options.VirtualMtas.OrderBy(v => v.Key, StringComparer.OrdinalIgnoreCase).Select(v =>
            {
                var spool = spools.All.FirstOrDefault(s => s.VirtualMta.Equals(v.Key, StringComparison.OrdinalIgnoreCase));
                var counts = spool?.Inspect() ?? [];
                var pools = options.Pools.Where(p => p.Value.Any(m => PoolMember.TryParse(m, out var member)
                    && member.VirtualMta.Equals(v.Key, StringComparison.OrdinalIgnoreCase))).Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
                var paused = pauses.Any(p => p.Target.Kind == PauseKind.VirtualMta && p.Target.VirtualMta!.Equals(v.Key, StringComparison.OrdinalIgnoreCase));
                var pausedQueues = pauses.Where(p => p.Target.Kind == PauseKind.Queue && p.Target.VirtualMta!.Equals(v.Key, StringComparison.OrdinalIgnoreCase))
                    .Select(p => p.Target.Domain!).ToList();
                return new VirtualMtaView(v.Key, v.Value.SourceIp, v.Value.HostName, pools, spool is not null,
                    counts.Sum(c => c.Queued), counts.Sum(c => c.Deferred), counts.Sum(c => c.InFlight), paused, pausedQueues,
                    WarmUpCap(v.Value, today), v.Value.SourceIpMaxMsgRate, v.Value.SourceIpMaxSmtpOut);
            }).ToList();
            return Results.Ok(rows);
        });

        app.MapGet("/api/v1/domains/top", (SpoolRegistry spools, int? limit) =>
        {
            var take = limit ?? 20;
            if (take is < 1 or > MaxLimit)
                return Results.Problem($"limit must be between 1 and {MaxLimit}", statusCode: 400, title: "Bad limit");
            var rows = spools.All.SelectMany(s => s.Inspect())
                .GroupBy(c => c.Domain, StringComparer.OrdinalIgnoreCase)
                .Select(g => new DomainView(g.Key, g.Sum(c => c.Queued + c.Deferred + c.InFlight), g.Sum(c => c.Queued), g.Sum(c => c.Deferred),
                    g.Sum(c => c.InFlight), g.Count(), g.Min(c => c.Oldest)))
                .OrderByDescending(d => d.Recipients).ThenBy(d => d.Domain, StringComparer.Ordinal)
                .Take(take).ToList();
            return Results.Ok(rows);
        });
    }

    /// <summary>Today's warm-up cap (UTC day), or null when the schedule is over or there is none.</summary>
    internal static int? WarmUpCap(VirtualMtaOptions vmta, DateOnly today)
    {
        // Each read once: a reload may replace them between two reads.
        var warmUp = vmta.WarmUp;
        if (warmUp.Count == 0 || !WarmUpSchedule.TryParseStart(vmta.WarmUpStart, out var start)) return null;
        var day = today.DayNumber - start.DayNumber;
        if (day >= warmUp.Count) return null;
        return day < 0 ? 0 : warmUp[day];
    }
}
