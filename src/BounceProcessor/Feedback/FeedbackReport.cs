namespace Pipeline.BounceProcessor.Feedback;

/// <summary>A feedback-loop report (RFC 5965 ARF, RFC 6591 authentication-failure reports, and the non-ARF
/// unsubscribe reports some providers send), with the fields a sender acts on.</summary>
public sealed record FeedbackReport
{
    /// <summary>abuse, fraud, virus, other, not-spam, auth-failure, opt-out ...</summary>
    public required string FeedbackType { get; init; }
    /// <summary>Original-Rcpt-To values, or the original message's To when the report has none.</summary>
    public IReadOnlyList<string> OriginalRecipients { get; init; } = [];
    public string? OriginalMailFrom { get; init; }
    public string? SourceIp { get; init; }
    public DateTimeOffset? ArrivalDate { get; init; }
    public string? ReportedDomain { get; init; }
    public string? UserAgent { get; init; }
    public string? ReportingMta { get; init; }
    public string? AuthenticationResults { get; init; }
    public string? OriginalMessageId { get; init; }
    public string? OriginalSubject { get; init; }
    public string? OriginalFrom { get; init; }
    /// <summary>The original message's header section as the report returned it.</summary>
    public string? OriginalHeaders { get; init; }
    /// <summary>Who sent the report (its From).</summary>
    public string? Reporter { get; init; }
}
