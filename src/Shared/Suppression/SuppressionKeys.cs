namespace Pipeline.Shared.Suppression;

/// <summary>The suppression list's Redis layout, shared by its writer (the BounceProcessor) and its readers (Ingest,
/// refusing suppressed recipients at RCPT TO): one hash per envelope-sender domain, field = lower-cased recipient,
/// value = the entry as JSON; the domain <see cref="AnySender"/> suppresses for every sender. A recipient is suppressed
/// for a message when <c>HEXISTS Domain(prefix, mail-from domain) rcpt</c> or <c>HEXISTS Domain(prefix, "*") rcpt</c>.</summary>
public static class SuppressionKeys
{
    /// <summary>The pseudo-domain of entries that apply to every sender.</summary>
    public const string AnySender = "*";

    /// <summary>The hash of one sender domain's suppressed recipients.</summary>
    public static string Domain(string prefix, string senderDomain) => $"{prefix}suppression:{senderDomain.ToLowerInvariant()}";

    /// <summary>The set of sender domains that have entries (for listing).</summary>
    public static string Domains(string prefix) => $"{prefix}suppression-domains";

    /// <summary>The hash field of a recipient.</summary>
    public static string Recipient(string address) => address.Trim().Trim('<', '>').ToLowerInvariant();

    /// <summary>The sender domain of an envelope sender; <see cref="AnySender"/> for the null return path.</summary>
    public static string SenderDomain(string? mailFrom)
    {
        var at = mailFrom?.LastIndexOf('@') ?? -1;
        return at < 0 ? AnySender : mailFrom![(at + 1)..].Trim('>', ' ').ToLowerInvariant();
    }
}
