namespace Pipeline.BounceProcessor.Cli;

/// <summary>One output line of the classify verb (camelCase JSON). Fields a record does not have are null.</summary>
public sealed record ClassifyLine
{
    public string? File { get; init; }
    public string? Recipient { get; init; }
    /// <summary>bounce, delivered, autoreply or feedback.</summary>
    public required string Kind { get; init; }
    public string? Category { get; init; }
    public bool Hard { get; init; }
    public string? Status { get; init; }
    public int? ReplyCode { get; init; }
    public string? Diagnostic { get; init; }
    public string? RemoteMta { get; init; }
    public string? FeedbackType { get; init; }
    public string? OriginalMailFrom { get; init; }
    public string? SourceIp { get; init; }
    /// <summary>The rule of the rules file that decided (to tune the rules).</summary>
    public string? Rule { get; init; }
    /// <summary>For replies: a throttling or reputation signal.</summary>
    public bool? Backoff { get; init; }
}
