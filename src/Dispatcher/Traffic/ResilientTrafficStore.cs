using Pipeline.Shared.Configuration;
using StackExchange.Redis;

namespace Pipeline.Dispatcher.Traffic;

/// <summary>The shared store with a way out: while Redis is unreachable every limit is kept in this process
/// instead, scaled down to <c>Dispatcher:Traffic:FallbackShare</c> of its configured value (this worker cannot know
/// what the others take), and the change of state is logged once each way. Redis is tried again after
/// <see cref="RetryRedisAfter"/>.</summary>
public sealed class ResilientTrafficStore(RedisTrafficStore redis, LocalTrafficStore local, double fallbackShare,
    TimeProvider clock, ILogger<ResilientTrafficStore> log) : ITrafficStore
{
    public static readonly TimeSpan RetryRedisAfter = TimeSpan.FromSeconds(5);

    // Ticks of the moment Redis may be tried again; 0 while Redis is healthy. Interlocked/Volatile: read on every
    // call from many delivery tasks, written only on a state change.
    private long _degradedUntil;

    /// <summary>True while limits are kept locally because Redis failed.</summary>
    public bool IsDegraded => Volatile.Read(ref _degradedUntil) != 0;

    public ValueTask<RateDecision> TryTakeAsync(string key, MessageRate rate, int burst, CancellationToken cancellationToken) =>
        Run(s => s.TryTakeAsync(key, rate, burst, cancellationToken),
            s => s.TryTakeAsync(key, Scale(rate), burst, cancellationToken));

    public ValueTask<bool> TryLeaseAsync(IReadOnlyList<ConnectionSlot> slots, string leaseId, TimeSpan lease, CancellationToken cancellationToken) =>
        Run(s => s.TryLeaseAsync(slots, leaseId, lease, cancellationToken),
            s => s.TryLeaseAsync(slots.Select(x => x with { Limit = Scale(x.Limit) }).ToList(), leaseId, lease, cancellationToken));

    public ValueTask RenewAsync(IReadOnlyList<ConnectionSlot> slots, string leaseId, TimeSpan lease, CancellationToken cancellationToken) =>
        RunVoid(s => s.RenewAsync(slots, leaseId, lease, cancellationToken));

    public async ValueTask ReleaseAsync(IReadOnlyList<ConnectionSlot> slots, string leaseId, CancellationToken cancellationToken)
    {
        // A lease may have been taken from either store: release it from both (releasing a missing lease is harmless).
        await local.ReleaseAsync(slots, leaseId, cancellationToken).ConfigureAwait(false);
        await RunVoid(s => s == local ? ValueTask.CompletedTask : s.ReleaseAsync(slots, leaseId, cancellationToken)).ConfigureAwait(false);
    }

    public ValueTask<int> CountLeasesAsync(string key, CancellationToken cancellationToken) =>
        Run(s => s.CountLeasesAsync(key, cancellationToken), s => s.CountLeasesAsync(key, cancellationToken));

    public ValueTask SetFlagAsync(string key, string value, TimeSpan lifetime, CancellationToken cancellationToken) =>
        RunVoid(s => s.SetFlagAsync(key, value, lifetime, cancellationToken));

    public ValueTask<string?> GetFlagAsync(string key, CancellationToken cancellationToken) =>
        Run(s => s.GetFlagAsync(key, cancellationToken), s => s.GetFlagAsync(key, cancellationToken));

    public ValueTask<long> AddAsync(string key, long amount, TimeSpan lifetime, CancellationToken cancellationToken) =>
        Run(s => s.AddAsync(key, amount, lifetime, cancellationToken), s => s.AddAsync(key, amount, lifetime, cancellationToken));

    private async ValueTask<T> Run<T>(Func<ITrafficStore, ValueTask<T>> shared, Func<ITrafficStore, ValueTask<T>> fallback)
    {
        var until = Volatile.Read(ref _degradedUntil);
        if (until != 0 && clock.GetUtcNow().UtcTicks < until) return await fallback(local).ConfigureAwait(false);
        try
        {
            var result = await shared(redis).ConfigureAwait(false);
            if (until != 0 && Interlocked.Exchange(ref _degradedUntil, 0) != 0) TrafficLog.RedisBack(log);
            return result;
        }
        catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException or ObjectDisposedException)
        {
            if (Interlocked.Exchange(ref _degradedUntil, (clock.GetUtcNow() + RetryRedisAfter).UtcTicks) == 0)
                TrafficLog.RedisLost(log, fallbackShare, e.Message);
            return await fallback(local).ConfigureAwait(false);
        }
    }

    /// <summary>For calls whose fallback is the same call on the local store.</summary>
    private async ValueTask RunVoid(Func<ITrafficStore, ValueTask> call) =>
        await Run(async s => { await call(s).ConfigureAwait(false); return true; },
            async s => { await call(s).ConfigureAwait(false); return true; }).ConfigureAwait(false);

    private MessageRate Scale(MessageRate rate) =>
        rate.IsUnlimited ? rate : rate with { Count = Math.Max(1, (int)(rate.Count * fallbackShare)) };

    private int Scale(int limit) => Math.Max(1, (int)(limit * fallbackShare));
}
