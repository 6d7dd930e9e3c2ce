namespace Pipeline.BounceProcessor.Reports;

/// <summary>What an inbound report says about a recipient.</summary>
public static class ReportKind
{
    /// <summary>A failure or delay (RFC 3464 Action failed/delayed, or a non-standard bounce).</summary>
    public const string Bounce = "bounce";
    /// <summary>A positive delivery report (Action delivered/relayed/expanded).</summary>
    public const string Delivered = "delivered";
    /// <summary>An automatic reply (RFC 3834: vacation, out of office); not a failure.</summary>
    public const string AutoReply = "autoreply";
    /// <summary>A feedback-loop complaint (RFC 5965 ARF).</summary>
    public const string Feedback = "feedback";
}
