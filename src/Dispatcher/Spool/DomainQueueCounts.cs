namespace Pipeline.Dispatcher.Spool;

/// <summary>What waits for one destination domain in one VirtualMTA's spool.</summary>
/// <param name="Queued">Recipients due now.</param>
/// <param name="Deferred">Recipients waiting for a later attempt time.</param>
/// <param name="InFlight">Recipients being delivered right now.</param>
/// <param name="Oldest">When the oldest of these recipients' messages was accepted.</param>
public sealed record DomainQueueCounts(string Domain, long Queued, long Deferred, long InFlight, DateTimeOffset Oldest);
