namespace Pipeline.BounceProcessor.Classification;

/// <summary>What the classifier made of one reply.</summary>
/// <param name="Category">One of <see cref="BounceCategory"/>.</param>
/// <param name="IsHard">True when the recipient will never accept mail (bad mailbox or domain, permanently).</param>
/// <param name="SmtpCode">The reply code, given or found in the text; 0 when none.</param>
/// <param name="EnhancedStatus">The enhanced status code, given or found in the text; empty when none.</param>
/// <param name="RuleId">The rule that matched, for operators tuning the rules file; null for the fallback.</param>
/// <param name="IsBackoff">True for throttling and reputation blocks: the Dispatcher should slow down for the
/// destination rather than retry at the normal pace.</param>
public sealed record ReplyClassification(string Category, bool IsHard, int SmtpCode, string EnhancedStatus,
    string? RuleId, bool IsBackoff);
