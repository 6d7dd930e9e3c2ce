namespace Pipeline.Shared.Status;

/// <summary>What the board holds, as read for the monitor.</summary>
/// <param name="Totals">Counter (<see cref="StatusCounter"/>) to count since the board was started (Redis: ever).</param>
/// <param name="Minutes">Per-minute counts, oldest first, the current (partial) minute last.</param>
/// <param name="BounceCategories">Bounce category to the number of bounces (b and rb) in it.</param>
/// <param name="Recent">The latest bounces and complaints, newest first.</param>
/// <param name="Dispatchers">Every live Dispatcher's snapshot, by worker name.</param>
/// <param name="Error">Why the board could not be read (Redis away), else null.</param>
public sealed record StatusOverview(
    IReadOnlyDictionary<string, long> Totals,
    IReadOnlyList<MinuteCounts> Minutes,
    IReadOnlyDictionary<string, long> BounceCategories,
    IReadOnlyList<RecentEvent> Recent,
    IReadOnlyList<DispatcherSnapshot> Dispatchers,
    string? Error = null)
{
    public static StatusOverview Unavailable(string error) => new(new Dictionary<string, long>(), [], new Dictionary<string, long>(), [], [], error);
}

/// <summary>The counters of one minute (UTC, truncated).</summary>
public sealed record MinuteCounts(DateTimeOffset Minute, IReadOnlyDictionary<string, long> Counts)
{
    public long this[string counter] => Counts.TryGetValue(counter, out var n) ? n : 0;
}
