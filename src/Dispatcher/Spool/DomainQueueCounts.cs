namespace Pipeline.Dispatcher.Spool;

/// <summary>What waits for one destination domain in one VirtualMTA's spool.</summary>
/// <param name="Queued">Recipients due now.</param>
/// <param name="Deferred">Recipients waiting for a later attempt time.</param>
/// <param name="InFlight">Recipients being delivered right now.</param>
/// <param name="Oldest">When the oldest of these recipients' messages was accepted.</param>
public sealed record DomainQueueCounts(string Domain, long Queued, long Deferred, long InFlight, DateTimeOffset Oldest)
{
    public long Total => Queued + Deferred + InFlight;

    /// <summary>Several domains' counts as one row named <paramref name="domain"/> (the "other" row of a capped view):
    /// their sums and the oldest of them. At least one is needed.</summary>
    public static DomainQueueCounts Combined(string domain, IReadOnlyCollection<DomainQueueCounts> counts) =>
        new(domain, counts.Sum(c => c.Queued), counts.Sum(c => c.Deferred), counts.Sum(c => c.InFlight), counts.Min(c => c.Oldest));
}
