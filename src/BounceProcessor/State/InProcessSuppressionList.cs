using System.Collections.Concurrent;

namespace Pipeline.BounceProcessor.State;

/// <summary>The suppression list of the standalone host, whose state lives in its one process (DESIGN.md).</summary>
public sealed class InProcessSuppressionList : ISuppressionList
{
    private readonly ConcurrentDictionary<(string Domain, string Recipient), SuppressionEntry> _entries = new();

    public Task<bool> AddAsync(SuppressionEntry entry, CancellationToken cancellationToken)
    {
        var key = (entry.SenderDomain.ToLowerInvariant(), SuppressionEntry.Normalise(entry.Recipient));
        var added = true;
        _entries.AddOrUpdate(key, entry with { Recipient = key.Item2 }, (_, _) =>
        {
            added = false;
            return entry with { Recipient = key.Item2 };
        });
        return Task.FromResult(added);
    }

    public Task<bool> RemoveAsync(string senderDomain, string recipient, CancellationToken cancellationToken) =>
        Task.FromResult(_entries.TryRemove((senderDomain.ToLowerInvariant(), SuppressionEntry.Normalise(recipient)), out _));

    public Task<SuppressionEntry?> FindAsync(string senderDomain, string recipient, CancellationToken cancellationToken)
    {
        var address = SuppressionEntry.Normalise(recipient);
        return Task.FromResult(_entries.TryGetValue((senderDomain.ToLowerInvariant(), address), out var entry) ? entry
            : _entries.TryGetValue((SuppressionEntry.AnySender, address), out entry) ? entry : null);
    }

    public Task<IReadOnlyList<SuppressionEntry>> ListAsync(string? senderDomain, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SuppressionEntry>>([.. _entries.Values
            .Where(e => senderDomain is null || e.SenderDomain.Equals(senderDomain, StringComparison.OrdinalIgnoreCase))
            .OrderBy(e => e.SenderDomain, StringComparer.Ordinal).ThenBy(e => e.Recipient, StringComparer.Ordinal).Take(limit)]);
}
