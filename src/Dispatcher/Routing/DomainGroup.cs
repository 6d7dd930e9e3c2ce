namespace Pipeline.Dispatcher.Routing;

/// <summary>PowerMTA's queue-to MX rollup: domains whose mail goes to the same provider share one queue's limits.
/// gmail.com, googlemail.com and every Google Workspace domain have MX hosts under google.com; hotmail.com,
/// outlook.com and Microsoft 365 tenants under outlook.com. The group of a domain is the set of registrable
/// domains of its MX hosts; a domain configured by name, or routed, is its own group.</summary>
public static class DomainGroup
{
    // Second-level labels under which registrations happen one level deeper (example.co.uk, example.com.au).
    private static readonly HashSet<string> SecondLevelSuffixes = new(StringComparer.OrdinalIgnoreCase)
    {
        "co", "com", "net", "org", "gov", "ac", "edu", "ne", "or", "go", "gob", "mil",
    };

    public static string Of(string domain, IEnumerable<string> mxHosts)
    {
        var groups = mxHosts.Select(RegistrableDomain).Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.OrdinalIgnoreCase).ToList();
        return groups.Count == 0 ? domain.ToLowerInvariant() : string.Join('+', groups).ToLowerInvariant();
    }

    /// <summary>The part of a host name an organisation registers: mx1.mail.example.co.uk → example.co.uk.</summary>
    public static string RegistrableDomain(string host)
    {
        var labels = host.TrimEnd('.').Split('.');
        if (labels.Length <= 2) return host.TrimEnd('.');
        var take = labels[^1].Length == 2 && SecondLevelSuffixes.Contains(labels[^2]) ? 3 : 2;
        return string.Join('.', labels[^Math.Min(take, labels.Length)..]);
    }
}
