using Pipeline.BounceProcessor.Feedback;

namespace Pipeline.BounceProcessor.Reports;

/// <summary>A parsed inbound message sent to the return path or the feedback address: its recipient records, the
/// feedback report if it is one, and what it quotes of the original message (to map it back to what we sent).</summary>
public sealed record InboundReport
{
    public required IReadOnlyList<RecipientReport> Recipients { get; init; }
    /// <summary>The ARF report, when the message is a feedback-loop complaint.</summary>
    public FeedbackReport? Feedback { get; init; }
    /// <summary>Message-ID of the original message, from the returned headers.</summary>
    public string? OriginalMessageId { get; init; }
    /// <summary>The envelope sender (Return-Path) the report was addressed to, or the original's Return-Path.</summary>
    public string? OriginalReturnPath { get; init; }
    /// <summary>X-Job of the original message, if the returned headers kept it.</summary>
    public string? OriginalJobId { get; init; }
    /// <summary>The reporting system (Reporting-MTA or the bounce's From).</summary>
    public string? ReportingMta { get; init; }
}
