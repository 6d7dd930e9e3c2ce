namespace Pipeline.Shared.Status;

/// <summary>The board in this process, for the standalone host (no Redis): all four services share one instance.
/// Same behaviour as <see cref="RedisStatusBoard"/>: minute buckets older than <see cref="StatusKeys.MinuteRetention"/>
/// are dropped, the recent list is capped, a snapshot vanishes after its time to live.</summary>
public sealed class InProcessStatusBoard(TimeProvider clock, int recentEvents = InProcessStatusBoard.DefaultRecentEvents) : IStatusBoard
{
    public const int DefaultRecentEvents = 50;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _totals = [];
    private readonly SortedDictionary<DateTimeOffset, Dictionary<string, long>> _minutes = [];
    private readonly Dictionary<string, long> _categories = new(StringComparer.OrdinalIgnoreCase);
    private readonly LinkedList<RecentEvent> _recent = new();
    private readonly Dictionary<string, (DispatcherSnapshot Snapshot, DateTimeOffset Expires)> _dispatchers = [];

    public Task RecordAcceptedAsync(int messages, DateTimeOffset at, CancellationToken cancellationToken)
    {
        lock (_gate) Count(StatusCounter.Accepted, at, messages);
        return Task.CompletedTask;
    }

    public Task RecordOutcomeAsync(OutcomeRecorded outcome, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Count(outcome.Type, outcome.At, 1);
            if (StatusCounter.IsBounce(outcome.Type) && outcome.Category is { Length: > 0 } category)
                _categories[category] = _categories.GetValueOrDefault(category) + 1;
            if (StatusCounter.IsRecent(outcome.Type))
            {
                _recent.AddFirst(RecentEvent.From(outcome));
                while (_recent.Count > recentEvents) _recent.RemoveLast();
            }
        }
        return Task.CompletedTask;
    }

    public Task PublishQueuesAsync(DispatcherSnapshot snapshot, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        lock (_gate) _dispatchers[snapshot.Worker] = (snapshot, clock.GetUtcNow() + timeToLive);
        return Task.CompletedTask;
    }

    public Task<StatusOverview> ReadAsync(DateTimeOffset now, int minutes, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var current = StatusKeys.MinuteOf(now);
            var perMinute = new List<MinuteCounts>(minutes);
            for (int i = minutes - 1; i >= 0; i--)
            {
                var minute = current.AddMinutes(-i);
                perMinute.Add(new MinuteCounts(minute, _minutes.TryGetValue(minute, out var c) ? new Dictionary<string, long>(c) : []));
            }
            var live = clock.GetUtcNow();
            foreach (var worker in _dispatchers.Where(d => d.Value.Expires <= live).Select(d => d.Key).ToList()) _dispatchers.Remove(worker);
            return Task.FromResult(new StatusOverview(new Dictionary<string, long>(_totals), perMinute,
                new Dictionary<string, long>(_categories), _recent.ToList(),
                _dispatchers.Values.Select(d => d.Snapshot).OrderBy(s => s.Worker, StringComparer.Ordinal).ToList()));
        }
    }

    private void Count(string counter, DateTimeOffset at, long by)
    {
        _totals[counter] = _totals.GetValueOrDefault(counter) + by;
        var minute = StatusKeys.MinuteOf(at);
        if (!_minutes.TryGetValue(minute, out var counts)) _minutes[minute] = counts = [];
        counts[counter] = counts.GetValueOrDefault(counter) + by;
        // Buckets are kept as long as Redis keeps them; the oldest go first.
        var horizon = StatusKeys.MinuteOf(clock.GetUtcNow()) - StatusKeys.MinuteRetention;
        while (_minutes.Count > 0 && _minutes.First().Key < horizon) _minutes.Remove(_minutes.First().Key);
    }
}
