namespace Pipeline.BounceProcessor.Classification;

/// <summary>One entry of the rules file. Every condition given must hold; conditions left out are not checked.
/// Rules are tried in file order and the first that holds decides.</summary>
public sealed record ClassificationRule
{
    /// <summary>A name for the rule, reported with each classification so operators can see which rule fired.</summary>
    public required string Id { get; init; }
    /// <summary>The PowerMTA category the rule assigns.</summary>
    public required string Category { get; init; }
    /// <summary>Hard when the reply is permanent (5xx / 5.x.x): the recipient is suppressed.</summary>
    public bool Hard { get; init; }
    /// <summary>A throttling or reputation signal: the Dispatcher should back off for the destination.</summary>
    public bool Backoff { get; init; }
    /// <summary>The mailbox provider a provider-specific rule is for (documentation only).</summary>
    public string? Provider { get; init; }
    /// <summary>Enhanced status patterns: "5.1.1" exact, "5.7" any detail of 5.7, "x.2.2" either class.</summary>
    public IReadOnlyList<string> Status { get; init; } = [];
    /// <summary>Reply codes, e.g. 550; "5xx"-style wildcards are written as status classes instead.</summary>
    public IReadOnlyList<int> Codes { get; init; } = [];
    /// <summary>Case-insensitive substrings of the reply text; any one is enough.</summary>
    public IReadOnlyList<string> Text { get; init; } = [];
    /// <summary>Case-insensitive .NET regular expressions, for the few patterns a substring cannot say; any one is
    /// enough (with <see cref="Text"/>: a match of either).</summary>
    public IReadOnlyList<string> Regex { get; init; } = [];
    /// <summary>Context substrings of which one must also occur (an AND with <see cref="Text"/>), e.g. the SMTP
    /// command a reply answered.</summary>
    public IReadOnlyList<string> With { get; init; } = [];
    /// <summary>Substrings that stop the rule from applying.</summary>
    public IReadOnlyList<string> Unless { get; init; } = [];
}
