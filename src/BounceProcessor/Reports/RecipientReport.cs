namespace Pipeline.BounceProcessor.Reports;

/// <summary>One recipient record of an inbound report: what happened to one recipient of the original message.</summary>
public sealed record RecipientReport
{
    public required string Recipient { get; init; }
    /// <summary>One of <see cref="ReportKind"/>.</summary>
    public required string Kind { get; init; }
    /// <summary>RFC 3464 action (failed, delayed, delivered, relayed, expanded) where the report says it.</summary>
    public string? Action { get; init; }
    /// <summary>The enhanced status code, from the report's Status field or found in the diagnostic.</summary>
    public string Status { get; init; } = "";
    public int ReplyCode { get; init; }
    /// <summary>The remote server's words (Diagnostic-Code without its type, or the bounce's explanation).</summary>
    public string Diagnostic { get; init; } = "";
    /// <summary>The server that refused (Remote-MTA), or the reporting MTA.</summary>
    public string? RemoteMta { get; init; }
    /// <summary>Bounce category; null for delivered and auto-replies.</summary>
    public string? Category { get; init; }
    public bool IsHard { get; init; }
    /// <summary>The classification rule that fired.</summary>
    public string? RuleId { get; init; }
    public bool IsBackoff { get; init; }
}
