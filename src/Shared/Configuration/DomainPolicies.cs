namespace Pipeline.Shared.Configuration;

/// <summary>Looks up the effective <see cref="DomainPolicy"/> of a destination domain: the domain's own entry over
/// the "*" entry over the built-in defaults. Built once from validated options; lookups do not allocate.</summary>
public sealed class DomainPolicies
{
    private readonly DomainPolicy _default;
    private readonly Dictionary<string, DomainPolicy> _byDomain;

    public DomainPolicies(PipelineOptions options)
    {
        _default = options.Domains.TryGetValue(PipelineOptions.WildcardDomain, out var wildcard)
            ? DomainPolicy.BuiltIn.Overlay(wildcard)
            : DomainPolicy.BuiltIn;
        _byDomain = new(StringComparer.OrdinalIgnoreCase);
        foreach (var (domain, settings) in options.Domains)
        {
            if (domain != PipelineOptions.WildcardDomain)
                _byDomain[domain] = _default.Overlay(settings);
        }
    }

    public DomainPolicy For(string domain) => _byDomain.GetValueOrDefault(domain, _default);

    /// <summary>With MX rollup: the domain's own entry, else its provider group's entry (e.g. "google.com" for
    /// every domain whose MX is at Google), else the defaults.</summary>
    public DomainPolicy For(string domain, string group) =>
        _byDomain.TryGetValue(domain, out var own) ? own : _byDomain.GetValueOrDefault(group, _default);

    /// <summary>True when the file has an entry of its own for this name.</summary>
    public bool IsConfigured(string domain) => _byDomain.ContainsKey(domain);
}
