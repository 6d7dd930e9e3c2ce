using Pipeline.Shared.Configuration;

namespace Pipeline.Signer.Dkim;

/// <summary>A configured signing key with what it signs: Dkim entry <see cref="Index"/> of the configuration.</summary>
public sealed record DkimKey(int Index, DkimKeyOptions Options, DkimSigningKey SigningKey, DkimCanonicalization Canonicalization)
{
    /// <summary>The configured domain: the d= value, or "*" for the default key of every other author domain.</summary>
    public string Domain => Options.Domain;

    public string Selector => Options.Selector;

    public string Algorithm => SigningKey.Algorithm;

    /// <summary>Signs every message (the sending platform's signature), not only its own domain's.</summary>
    public bool SignsAllMail => Options.SignAllMail;

    public bool IsDefault => Domain == PipelineOptions.WildcardDomain;
}
