using Pipeline.Shared.Configuration;

namespace Pipeline.Dispatcher.Traffic;

/// <summary>Where the limits every Dispatcher worker shares live: Redis in production (<see cref="RedisTrafficStore"/>),
/// process memory in the standalone host and as the fallback while Redis is unreachable (<see cref="LocalTrafficStore"/>).</summary>
public interface ITrafficStore
{
    /// <summary>Takes one unit from a rate limit; <paramref name="burst"/> units may go back to back.</summary>
    ValueTask<RateDecision> TryTakeAsync(string key, MessageRate rate, int burst, CancellationToken cancellationToken);

    /// <summary>Takes a slot in every one of <paramref name="slots"/>, or in none; false when one is full.</summary>
    ValueTask<bool> TryLeaseAsync(IReadOnlyList<ConnectionSlot> slots, string leaseId, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Keeps a held lease alive for another <paramref name="lease"/>.</summary>
    ValueTask RenewAsync(IReadOnlyList<ConnectionSlot> slots, string leaseId, TimeSpan lease, CancellationToken cancellationToken);

    ValueTask ReleaseAsync(IReadOnlyList<ConnectionSlot> slots, string leaseId, CancellationToken cancellationToken);

    /// <summary>Open leases in a set now.</summary>
    ValueTask<int> CountLeasesAsync(string key, CancellationToken cancellationToken);

    /// <summary>Sets a flag that disappears by itself after <paramref name="lifetime"/> unless set again.</summary>
    ValueTask SetFlagAsync(string key, string value, TimeSpan lifetime, CancellationToken cancellationToken);

    /// <summary>The flag's value, or null when it is not set (or has expired).</summary>
    ValueTask<string?> GetFlagAsync(string key, CancellationToken cancellationToken);

    /// <summary>Adds to a counter that expires after <paramref name="lifetime"/> and returns the new total.</summary>
    ValueTask<long> AddAsync(string key, long amount, TimeSpan lifetime, CancellationToken cancellationToken);
}
