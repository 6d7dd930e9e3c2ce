namespace Pipeline.Shared.Configuration;

/// <summary>Looks up the effective <see cref="DomainPolicy"/> of a destination domain: the domain's own entry over
/// the "*" entry over the built-in defaults. Built from validated options; lookups do not allocate.
/// <see cref="Reload"/> swaps in the policies of a re-read configuration for every later lookup.</summary>
public sealed class DomainPolicies
{
    private sealed record Snapshot(DomainPolicy Default, Dictionary<string, DomainPolicy> ByDomain);

    // Replaced whole by Reload; a reader sees either the old or the new snapshot, never a mix of the two.
    private volatile Snapshot _current;

    public DomainPolicies(PipelineOptions options) => _current = Build(options);

    /// <summary>Takes the domain settings of a newly validated configuration (a management reload).</summary>
    public void Reload(PipelineOptions options) => _current = Build(options);

    private static Snapshot Build(PipelineOptions options)
    {
        var @default = options.Domains.TryGetValue(PipelineOptions.WildcardDomain, out var wildcard)
            ? DomainPolicy.BuiltIn.Overlay(wildcard)
            : DomainPolicy.BuiltIn;
        var byDomain = new Dictionary<string, DomainPolicy>(StringComparer.OrdinalIgnoreCase);
        foreach (var (domain, settings) in options.Domains)
        {
            if (domain != PipelineOptions.WildcardDomain)
                byDomain[domain] = @default.Overlay(settings);
        }
        return new Snapshot(@default, byDomain);
    }

    public DomainPolicy For(string domain)
    {
        var current = _current;
        return current.ByDomain.GetValueOrDefault(domain, current.Default);
    }

    /// <summary>With MX rollup: the domain's own entry, else its provider group's entry (e.g. "google.com" for
    /// every domain whose MX is at Google), else the defaults.</summary>
    public DomainPolicy For(string domain, string group)
    {
        var current = _current;
        return current.ByDomain.TryGetValue(domain, out var own) ? own : current.ByDomain.GetValueOrDefault(group, current.Default);
    }

    /// <summary>True when the file has an entry of its own for this name.</summary>
    public bool IsConfigured(string domain) => _current.ByDomain.ContainsKey(domain);
}
