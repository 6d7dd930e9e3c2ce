using Pipeline.Shared.Configuration;
using StackExchange.Redis;

namespace Pipeline.Dispatcher.Traffic;

/// <summary>The shared limits in Redis: GCRA rate limits and connection leases as Lua scripts (atomic, one round
/// trip, the server's clock), backoff flags and day counters as keys with a TTL.</summary>
public sealed class RedisTrafficStore(IConnectionMultiplexer redis) : ITrafficStore
{
    private IDatabase Db => redis.GetDatabase();

    public async ValueTask<RateDecision> TryTakeAsync(string key, MessageRate rate, int burst, CancellationToken cancellationToken)
    {
        if (rate.IsUnlimited) return RateDecision.Allow;
        var interval = IntervalMicroseconds(rate);
        var tolerance = interval * (Math.Max(burst, 1) - 1);
        var result = (RedisValue[])(await Db.ScriptEvaluateAsync(GcraScript.Source, [key], [interval, tolerance]).ConfigureAwait(false))!;
        return (long)result[0] == 1 ? RateDecision.Allow : RateDecision.Wait(TimeSpan.FromMicroseconds((long)result[1]));
    }

    public async ValueTask<bool> TryLeaseAsync(IReadOnlyList<ConnectionSlot> slots, string leaseId, TimeSpan lease, CancellationToken cancellationToken)
    {
        if (slots.Count == 0) return true;
        var args = new RedisValue[2 + slots.Count];
        args[0] = leaseId;
        args[1] = (long)lease.TotalMilliseconds;
        for (int i = 0; i < slots.Count; i++) args[2 + i] = slots[i].Limit;
        var full = (long)(await Db.ScriptEvaluateAsync(LeaseScript.Acquire, Keys(slots), args).ConfigureAwait(false));
        return full == 0;
    }

    public async ValueTask RenewAsync(IReadOnlyList<ConnectionSlot> slots, string leaseId, TimeSpan lease, CancellationToken cancellationToken)
    {
        if (slots.Count == 0) return;
        await Db.ScriptEvaluateAsync(LeaseScript.Renew, Keys(slots), [leaseId, (long)lease.TotalMilliseconds]).ConfigureAwait(false);
    }

    public async ValueTask ReleaseAsync(IReadOnlyList<ConnectionSlot> slots, string leaseId, CancellationToken cancellationToken)
    {
        var batch = Db.CreateBatch();
        var removals = slots.Select(s => batch.SortedSetRemoveAsync(s.Key, leaseId)).ToArray();
        batch.Execute();
        await Task.WhenAll(removals).ConfigureAwait(false);
    }

    public async ValueTask<int> CountLeasesAsync(string key, CancellationToken cancellationToken)
    {
        // Expired leases still in the set are not open connections: count only those whose expiry lies ahead.
        var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return (int)await Db.SortedSetLengthAsync(key, nowMs, double.PositiveInfinity).ConfigureAwait(false);
    }

    public async ValueTask SetFlagAsync(string key, string value, TimeSpan lifetime, CancellationToken cancellationToken) =>
        await Db.StringSetAsync(key, value, lifetime).ConfigureAwait(false);

    public async ValueTask<string?> GetFlagAsync(string key, CancellationToken cancellationToken) =>
        await Db.StringGetAsync(key).ConfigureAwait(false) is { IsNull: false } value ? value.ToString() : null;

    public async ValueTask<long> AddAsync(string key, long amount, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var batch = Db.CreateBatch();
        var total = batch.StringIncrementAsync(key, amount);
        var expiry = batch.KeyExpireAsync(key, lifetime, ExpireWhen.HasNoExpiry);
        batch.Execute();
        await expiry.ConfigureAwait(false);
        return await total.ConfigureAwait(false);
    }

    /// <summary>Microseconds between two units at this rate; at least 1, so that very high rates still meter.</summary>
    internal static long IntervalMicroseconds(MessageRate rate) => Math.Max(1, (long)(rate.Per.TotalMicroseconds / rate.Count));

    private static RedisKey[] Keys(IReadOnlyList<ConnectionSlot> slots) => slots.Select(s => (RedisKey)s.Key).ToArray();
}
