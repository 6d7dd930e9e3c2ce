namespace Pipeline.Contracts;

/// <summary>The submission command upstream apps publish as plain JSON to the exchange pipeline.submit; the same
/// shape as the HTTP API's JSON message. Either <see cref="Raw"/> (a whole RFC 5322 message) or the parts.</summary>
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
}
