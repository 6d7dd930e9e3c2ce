using System.Globalization;
using Pipeline.Shared.Configuration;

namespace Pipeline.Dispatcher.Traffic;

/// <summary>IP warm-up: a new source IP may send only so many messages on each of its first days (e.g. 50, 100,
/// 500, ...), counted in the shared store across every worker. Past the cap a message waits for the next UTC day.</summary>
public sealed class WarmUpSchedule(PipelineOptions options, ITrafficStore store, TimeProvider clock)
{
    /// <summary>True when one more message from <paramref name="virtualMta"/> fits today's cap (and counts it);
    /// otherwise false and the time when the next day's budget opens.</summary>
    public async ValueTask<RateDecision> TryTakeAsync(string virtualMta, CancellationToken cancellationToken)
    {
        var vmta = options.VirtualMtas[virtualMta];
        // Each read once: a reload may replace them between two reads. No start (a schedule being removed) is no cap.
        var warmUp = vmta.WarmUp;
        if (warmUp.Count == 0 || !TryParseStart(vmta.WarmUpStart, out var start)) return RateDecision.Allow;
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var day = today.DayNumber - start.DayNumber;
        if (day >= warmUp.Count) return RateDecision.Allow;
        var cap = day < 0 ? 0 : warmUp[day];
        var tomorrow = new DateTimeOffset(today.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var sent = await store.AddAsync(TrafficKeys.WarmUpDay(virtualMta, today), 1, TimeSpan.FromDays(2), cancellationToken).ConfigureAwait(false);
        if (sent <= cap) return RateDecision.Allow;
        // Over the cap: give the unit back so the count stays the number actually sent.
        await store.AddAsync(TrafficKeys.WarmUpDay(virtualMta, today), -1, TimeSpan.FromDays(2), cancellationToken).ConfigureAwait(false);
        return RateDecision.Wait(tomorrow - now);
    }

    /// <summary>The schedule's first day (WarmUpStart, yyyy-MM-dd); false when there is none.</summary>
    internal static bool TryParseStart(string? text, out DateOnly start) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out start);
}
