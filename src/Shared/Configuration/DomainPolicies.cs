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
}
