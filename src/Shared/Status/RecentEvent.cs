using System.Text.RegularExpressions;

namespace Pipeline.Shared.Status;

/// <summary>A bounce or complaint as the monitor lists it: the recipient masked (its domain and first letter only).</summary>
public sealed partial record RecentEvent(string Type, DateTimeOffset At, string Recipient, string? Category, string? Status,
    string? VirtualMta, string? Diagnostic)
{
    /// <summary>Longest diagnostic kept: enough for any real reply, not a place to store a message body.</summary>
    public const int MaxDiagnosticLength = 400;

    public static RecentEvent From(OutcomeRecorded outcome) => new(outcome.Type, outcome.At, Mask(outcome.Recipient),
        outcome.Category, outcome.Status, outcome.VirtualMta,
        MaskAddresses(outcome.Diagnostic is { Length: > MaxDiagnosticLength } d ? d[..MaxDiagnosticLength] : outcome.Diagnostic));

    /// <summary>"jane.doe@example.com" becomes "j***@example.com": the domain is what an operator acts on, the mailbox
    /// is personal data the monitor has no need to show.</summary>
    public static string Mask(string recipient)
    {
        var at = recipient.LastIndexOf('@');
        if (at < 0) return recipient.Length == 0 ? "" : "***";
        return (at > 0 ? recipient[..1] : "") + "***" + recipient[at..].ToLowerInvariant();
    }

    /// <summary>Every address inside a reply or diagnostic masked the same way: receivers quote the recipient
    /// ("550 5.1.1 &lt;jane@example.com&gt;: User unknown"), and the monitor is readable at the monitor level.</summary>
    public static string? MaskAddresses(string? text) =>
        text is null || !text.Contains('@') ? text : Address().Replace(text, m => Mask(m.Value));

    [GeneratedRegex(@"[^\s<>()\[\]""',;:@]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?", RegexOptions.CultureInvariant)]
    private static partial Regex Address();
}
