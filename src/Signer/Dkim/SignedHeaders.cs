namespace Pipeline.Signer.Dkim;

/// <summary>Which header fields a signature covers (the h= tag). Every instance present of RFC 6376 5.4.1's
/// recommended fields and of the MIME and list fields mailbox providers look at is signed. The fields below marked
/// over-signed are named once more than they occur, so that a field of that name added in transit breaks the
/// signature instead of being shown to the reader unsigned (RFC 6376 8.15).</summary>
public static class SignedHeaders
{
    /// <summary>Lower-case field names, in h= order; true for over-signed.</summary>
    public static IReadOnlyList<(string Name, bool OverSigned)> Names { get; } =
    [
        ("from", true), ("to", true), ("subject", true), ("date", true), ("message-id", true),
        ("cc", false), ("reply-to", false), ("sender", false), ("in-reply-to", false), ("references", false),
        ("resent-date", false), ("resent-from", false), ("resent-sender", false), ("resent-to", false), ("resent-cc", false),
        ("resent-message-id", false),
        ("mime-version", false), ("content-type", false), ("content-transfer-encoding", false), ("content-id", false),
        ("content-description", false), ("content-disposition", false), ("content-language", false),
        ("list-id", false), ("list-help", false), ("list-subscribe", false), ("list-post", false), ("list-owner", false),
        ("list-archive", false), ("list-unsubscribe", true), ("list-unsubscribe-post", true),
        ("feedback-id", false), ("precedence", false), ("auto-submitted", false), ("organization", false),
    ];

    /// <summary>Fields a signer must not cover: they are added or rewritten in transit, or are the signatures.</summary>
    public static IReadOnlyList<string> Never { get; } = ["return-path", "received", "dkim-signature", "authentication-results", "arc-seal"];
}
