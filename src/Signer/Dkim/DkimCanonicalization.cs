namespace Pipeline.Signer.Dkim;

/// <summary>One half of a c= tag (RFC 6376 3.4).</summary>
public enum CanonicalizationAlgorithm
{
    Simple,
    Relaxed,
}

/// <summary>The c= tag: how headers and body are canonicalized before hashing.</summary>
public readonly record struct DkimCanonicalization(CanonicalizationAlgorithm Header, CanonicalizationAlgorithm Body)
{
    public static DkimCanonicalization RelaxedRelaxed { get; } = new(CanonicalizationAlgorithm.Relaxed, CanonicalizationAlgorithm.Relaxed);

    /// <summary>Parses "relaxed/relaxed", "simple/relaxed", ...; one word is the header's, the body's being simple
    /// (RFC 6376 3.5, c= tag).</summary>
    public static DkimCanonicalization Parse(string text)
    {
        var parts = text.Split('/');
        return parts.Length switch
        {
            1 => new(One(parts[0]), CanonicalizationAlgorithm.Simple),
            2 => new(One(parts[0]), One(parts[1])),
            _ => throw new FormatException($"'{text}' is not a DKIM canonicalization like relaxed/relaxed"),
        };

        CanonicalizationAlgorithm One(string word) => word.Trim().ToLowerInvariant() switch
        {
            "simple" => CanonicalizationAlgorithm.Simple,
            "relaxed" => CanonicalizationAlgorithm.Relaxed,
            _ => throw new FormatException($"'{text}' is not a DKIM canonicalization like relaxed/relaxed"),
        };
    }

    public override string ToString() => $"{Name(Header)}/{Name(Body)}";

    private static string Name(CanonicalizationAlgorithm a) => a == CanonicalizationAlgorithm.Relaxed ? "relaxed" : "simple";
}
