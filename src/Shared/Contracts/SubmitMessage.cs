namespace Pipeline.Contracts;

/// <summary>The submission command upstream apps publish as plain JSON to the exchange pipeline.submit; the same
/// shape as the HTTP API's JSON message. Either <see cref="Raw"/> (a whole RFC 5322 message, with <see cref="To"/>
/// and <see cref="MailFrom"/> or <see cref="From"/> as its envelope) or the parts, which Ingest builds into a MIME
/// message. With <see cref="Batch"/> or <see cref="Variables"/> every To recipient gets a message of its own.</summary>
public sealed record SubmitMessage
{
    /// <summary>Author (From header) and, unless <see cref="MailFrom"/> is set, the envelope sender.</summary>
    public string? From { get; init; }
    /// <summary>Envelope sender when it differs from From (e.g. a VERP return path).</summary>
    public string? MailFrom { get; init; }
    /// <summary>Recipients; each becomes its own delivery.</summary>
    public IReadOnlyList<string>? To { get; init; }
    /// <summary>Carbon-copy recipients.</summary>
    public IReadOnlyList<string>? Cc { get; init; }
    /// <summary>Subject header.</summary>
    public string? Subject { get; init; }
    /// <summary>Plain-text body.</summary>
    public string? Text { get; init; }
    /// <summary>HTML body.</summary>
    public string? Html { get; init; }
    /// <summary>Extra headers.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }
    /// <summary>A complete RFC 5322 message, base64 in JSON; used instead of the parts when present.</summary>
    public byte[]? Raw { get; init; }
    /// <summary>VirtualMTA or pool name.</summary>
    public string? VirtualMta { get; init; }
    /// <summary>Campaign id.</summary>
    public string? JobId { get; init; }
    /// <summary>Blind-copy recipients: in the envelope, not in the headers.</summary>
    public IReadOnlyList<string>? Bcc { get; init; }
    /// <summary>Pool name; the same as <see cref="VirtualMta"/> (which also takes a pool), for readability.</summary>
    public string? Pool { get; init; }
    /// <summary>Files attached to the message.</summary>
    public IReadOnlyList<SubmitAttachment>? Attachments { get; init; }
    /// <summary>Send one message per To recipient (its own To header), even without <see cref="Variables"/>.</summary>
    public bool? Batch { get; init; }
    /// <summary>Per-recipient substitution variables: recipient address to (name to value). "{{name}}" in the
    /// subject, text and html is replaced by the recipient's value; "{{recipient}}" by the address itself.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? Variables { get; init; }
}
