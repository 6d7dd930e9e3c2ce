namespace Pipeline.Contracts;

/// <summary>A receiving system asked us to slow down: a throttling reply ("421 Too many connections", Yahoo's
/// [TSS04], Microsoft's rate limit) or a reputation block. Published by the BounceProcessor for the Dispatcher,
/// which backs off for the destination from the VirtualMTA named.</summary>
public sealed record BackoffSignalled
{
    /// <summary>The VirtualMTA whose traffic was refused.</summary>
    public required string VirtualMta { get; init; }
    /// <summary>The destination domain (the recipient's domain).</summary>
    public required string Domain { get; init; }
    /// <summary>The MX host that answered.</summary>
    public string? RemoteMta { get; init; }
    /// <summary>The reply code.</summary>
    public required int SmtpCode { get; init; }
    /// <summary>The enhanced status code.</summary>
    public required string EnhancedStatus { get; init; }
    /// <summary>The reply text verbatim.</summary>
    public required string Diagnostic { get; init; }
    /// <summary>The bounce category (policy-related, spam-related ...).</summary>
    public required string Category { get; init; }
    /// <summary>The classification rule that recognised the throttle, e.g. yahoo-tss04-volume.</summary>
    public string? Rule { get; init; }
    /// <summary>The source IP the refused attempt left from.</summary>
    public string? SourceIp { get; init; }
    /// <summary>When the refusal happened.</summary>
    public required DateTimeOffset OccurredAt { get; init; }
}
