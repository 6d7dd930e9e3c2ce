namespace Pipeline.BounceProcessor.State;

/// <summary>The suppression list: hard bounces and complaints stop further mail to a recipient, per sender domain.
/// Shared by every BounceProcessor (Redis) and read by Ingest.</summary>
public interface ISuppressionList
{
    /// <summary>Adds or refreshes an entry; true when the recipient was not suppressed before.</summary>
    Task<bool> AddAsync(SuppressionEntry entry, CancellationToken cancellationToken);
    /// <summary>Removes an entry; true when there was one.</summary>
    Task<bool> RemoveAsync(string senderDomain, string recipient, CancellationToken cancellationToken);
    /// <summary>The entry suppressing the recipient for the sender domain (or for every sender), or null.</summary>
    Task<SuppressionEntry?> FindAsync(string senderDomain, string recipient, CancellationToken cancellationToken);
    /// <summary>Entries of one sender domain, or of all when null, up to <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<SuppressionEntry>> ListAsync(string? senderDomain, int limit, CancellationToken cancellationToken);
}
