using System.Collections.Concurrent;
using Pipeline.Shared.Configuration;

namespace Pipeline.Dispatcher.Traffic;

/// <summary>The same limits in this process only: for the standalone host (no Redis) and as the fallback while
/// Redis is unreachable. Same algorithms as the Redis scripts (GCRA, expiring leases), on this machine's clock.</summary>
public sealed class LocalTrafficStore(TimeProvider clock) : ITrafficStore
{
    private readonly ConcurrentDictionary<string, long> _tat = new();
    private readonly ConcurrentDictionary<string, Dictionary<string, DateTimeOffset>> _leases = new();
    private readonly ConcurrentDictionary<string, (string Value, DateTimeOffset Until)> _flags = new();
    private readonly ConcurrentDictionary<string, (long Total, DateTimeOffset Until)> _counters = new();
    private readonly Lock _leaseLock = new();

    public ValueTask<RateDecision> TryTakeAsync(string key, MessageRate rate, int burst, CancellationToken cancellationToken)
    {
        if (rate.IsUnlimited) return ValueTask.FromResult(RateDecision.Allow);
        var interval = RedisTrafficStore.IntervalMicroseconds(rate);
        var tolerance = interval * (Math.Max(burst, 1) - 1);
        var now = NowMicroseconds();
        while (true)
        {
            var stored = _tat.GetOrAdd(key, now);
            var tat = Math.Max(stored, now);
            var wait = tat - now - tolerance;
            if (wait > 0) return ValueTask.FromResult(RateDecision.Wait(TimeSpan.FromMicroseconds(wait)));
            // Compare-and-swap: another thread may have taken the same slot since we read it.
            if (_tat.TryUpdate(key, tat + interval, stored)) return ValueTask.FromResult(RateDecision.Allow);
        }
    }

    public ValueTask<bool> TryLeaseAsync(IReadOnlyList<ConnectionSlot> slots, string leaseId, TimeSpan lease, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        lock (_leaseLock)
        {
            foreach (var slot in slots)
            {
                var set = Expire(slot.Key, now);
                if (set.Count >= slot.Limit) return ValueTask.FromResult(false);
            }
            foreach (var slot in slots) _leases[slot.Key][leaseId] = now + lease;
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask RenewAsync(IReadOnlyList<ConnectionSlot> slots, string leaseId, TimeSpan lease, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        lock (_leaseLock)
        {
            foreach (var slot in slots)
            {
                var set = Expire(slot.Key, now);
                if (set.ContainsKey(leaseId)) set[leaseId] = now + lease;
            }
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask ReleaseAsync(IReadOnlyList<ConnectionSlot> slots, string leaseId, CancellationToken cancellationToken)
    {
        lock (_leaseLock)
        {
            foreach (var slot in slots)
            {
                if (_leases.TryGetValue(slot.Key, out var set)) set.Remove(leaseId);
            }
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask<int> CountLeasesAsync(string key, CancellationToken cancellationToken)
    {
        lock (_leaseLock) return ValueTask.FromResult(Expire(key, clock.GetUtcNow()).Count);
    }

    public ValueTask SetFlagAsync(string key, string value, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        _flags[key] = (value, clock.GetUtcNow() + lifetime);
        return ValueTask.CompletedTask;
    }

    public ValueTask<string?> GetFlagAsync(string key, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_flags.TryGetValue(key, out var flag) && flag.Until > clock.GetUtcNow() ? flag.Value : null);

    public ValueTask<long> AddAsync(string key, long amount, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var updated = _counters.AddOrUpdate(key, _ => (amount, now + lifetime),
            (_, c) => c.Until > now ? (c.Total + amount, c.Until) : (amount, now + lifetime));
        return ValueTask.FromResult(updated.Total);
    }

    private Dictionary<string, DateTimeOffset> Expire(string key, DateTimeOffset now)
    {
        var set = _leases.GetOrAdd(key, _ => new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal));
        foreach (var expired in set.Where(l => l.Value <= now).Select(l => l.Key).ToList()) set.Remove(expired);
        return set;
    }

    private long NowMicroseconds() => (clock.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;
}
