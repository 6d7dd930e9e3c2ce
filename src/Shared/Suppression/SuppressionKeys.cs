namespace Pipeline.Shared.Suppression;

/// <summary>The Redis key scheme of the suppression list, shared by its writer (BounceProcessor) and its reader
/// (Ingest). One hash per sender domain (the envelope sender's domain, lower-cased): field = the recipient address
/// lower-cased, value = JSON <c>{"reason": "...", "at": "2026-01-01T00:00:00Z"}</c>. The hash of
/// <see cref="AllSenders"/> holds recipients suppressed for every sender.</summary>
public static class SuppressionKeys
{
    public const string Prefix = "suppression:";

    /// <summary>The "domain" of entries that apply to every sender domain.</summary>
    public const string AllSenders = "*";

    /// <summary>The hash of one sender domain, e.g. <c>suppression:example.com</c>.</summary>
    public static string ForSenderDomain(string senderDomain) => Prefix + senderDomain.ToLowerInvariant();

    /// <summary>The hash field of a recipient.</summary>
    public static string Field(string recipient) => recipient.ToLowerInvariant();
}
