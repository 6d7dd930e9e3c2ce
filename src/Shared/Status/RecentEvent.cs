namespace Pipeline.Shared.Status;

/// <summary>A bounce or complaint as the monitor lists it: the recipient masked (its domain and first letter only).</summary>
public sealed record RecentEvent(string Type, DateTimeOffset At, string Recipient, string? Category, string? Status,
    string? VirtualMta, string? Diagnostic)
{
    /// <summary>Longest diagnostic kept: enough for any real reply, not a place to store a message body.</summary>
    public const int MaxDiagnosticLength = 400;

    public static RecentEvent From(OutcomeRecorded outcome) => new(outcome.Type, outcome.At, Mask(outcome.Recipient),
        outcome.Category, outcome.Status, outcome.VirtualMta,
        outcome.Diagnostic is { Length: > MaxDiagnosticLength } d ? d[..MaxDiagnosticLength] : outcome.Diagnostic);

    /// <summary>"jane.doe@example.com" becomes "j***@example.com": the domain is what an operator acts on, the mailbox
    /// is personal data the monitor has no need to show.</summary>
    public static string Mask(string recipient)
    {
        var at = recipient.LastIndexOf('@');
        if (at < 0) return recipient.Length == 0 ? "" : "***";
        return (at > 0 ? recipient[..1] : "") + "***" + recipient[at..].ToLowerInvariant();
    }
}
