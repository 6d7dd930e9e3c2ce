namespace Pipeline.BounceProcessor.Accounting;

/// <summary>The last N ids seen, to drop a broker redelivery of an outcome already written. Bounded: a copy
/// redelivered after N newer outcomes would be written twice; N is sized far above the broker's prefetch.</summary>
public sealed class RecentIds(int capacity = 100_000)
{
    private readonly HashSet<Guid> _seen = new(capacity);
    private readonly Queue<Guid> _order = new(capacity);
    private readonly Lock _lock = new();

    /// <summary>True the first time an id is seen.</summary>
    public bool TryAdd(Guid id)
    {
        lock (_lock)
        {
            if (!_seen.Add(id)) return false;
            _order.Enqueue(id);
            if (_order.Count > capacity) _seen.Remove(_order.Dequeue());
            return true;
        }
    }

    public void Remove(Guid id)
    {
        lock (_lock) _seen.Remove(id);
    }
}
