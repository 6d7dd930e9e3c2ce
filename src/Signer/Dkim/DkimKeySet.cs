namespace Pipeline.Signer.Dkim;

/// <summary>An immutable snapshot of the loaded keys, looked up by author domain. The key store swaps a whole new
/// set in when a key file changes, so a message is always signed with one consistent set.</summary>
public sealed class DkimKeySet
{
    private readonly Dictionary<string, DkimKey[]> _byDomain;
    private readonly DkimKey[] _defaults;
    private readonly DkimKey[] _allMail;

    public DkimKeySet(IReadOnlyList<DkimKey> keys)
    {
        Keys = keys;
        _byDomain = keys.Where(k => !k.IsDefault && !k.SignsAllMail).GroupBy(k => k.Domain, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.OrdinalIgnoreCase);
        _defaults = [.. keys.Where(k => k.IsDefault)];
        _allMail = [.. keys.Where(k => k.SignsAllMail)];
    }

    /// <summary>Every key, in configuration order.</summary>
    public IReadOnlyList<DkimKey> Keys { get; }

    /// <summary>The keys of an author domain: its own entries, else the "*" entries.</summary>
    public IReadOnlyList<DkimKey> ForAuthor(string domain) => _byDomain.GetValueOrDefault(domain) ?? _defaults;

    /// <summary>The keys that sign every message in addition to the author domain's.</summary>
    public IReadOnlyList<DkimKey> ForAllMail => _allMail;

    /// <summary>The keys configured for exactly this domain (for tests and diagnostics).</summary>
    public IReadOnlyList<DkimKey> For(string domain) =>
        [.. Keys.Where(k => string.Equals(k.Domain, domain, StringComparison.OrdinalIgnoreCase))];
}
