namespace Pipeline.Contracts;

/// <summary>A feedback-loop report (ARF, RFC 5965) about a message we sent. Published on pipeline.events.feedback.</summary>
public sealed record FeedbackReceived
{
    /// <summary>Feedback-Type: abuse, fraud, virus, not-spam, other.</summary>
    public required string FeedbackType { get; init; }
    /// <summary>The recipient who complained (Original-Rcpt-To or the original message's To).</summary>
    public string? OriginalRecipient { get; init; }
    /// <summary>Original-Mail-From.</summary>
    public string? OriginalMailFrom { get; init; }
    /// <summary>Source-IP of the original message.</summary>
    public string? SourceIp { get; init; }
    /// <summary>Arrival-Date of the original message.</summary>
    public DateTimeOffset? ArrivalDate { get; init; }
    /// <summary>The original Message-ID header.</summary>
    public string? OriginalMessageId { get; init; }
    /// <summary>Reporting-MTA or User-Agent of the reporter.</summary>
    public string? Reporter { get; init; }
    /// <summary>The pipeline's message id of the reported message, when the report maps back to one.</summary>
    public Guid? MessageId { get; init; }
    /// <summary>Campaign id of the reported message.</summary>
    public string? JobId { get; init; }
    /// <summary>Reported-Domain.</summary>
    public string? ReportedDomain { get; init; }
    /// <summary>When the report was received.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }
    /// <summary>The report as an XARF v4 JSON document.</summary>
    public string? Xarf { get; init; }
}
