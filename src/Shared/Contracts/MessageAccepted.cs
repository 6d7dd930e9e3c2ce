namespace Pipeline.Contracts;

/// <summary>A message Ingest took responsibility for: the sender already has its 250/202.</summary>
public sealed record MessageAccepted
{
    /// <summary>The pipeline's own id for this message, used for idempotency and tracing.</summary>
    public required Guid MessageId { get; init; }
    /// <summary>When Ingest accepted the message.</summary>
    public required DateTimeOffset AcceptedAt { get; init; }
    /// <summary>Envelope sender (MAIL FROM); empty for a null reverse-path.</summary>
    public required string MailFrom { get; init; }
    /// <summary>Envelope recipients (RCPT TO), one delivery each.</summary>
    public required IReadOnlyList<string> Recipients { get; init; }
    /// <summary>The VirtualMTA or pool the sender asked for (X-Virtual-MTA or API field); null means the default pool.</summary>
    public string? VirtualMta { get; init; }
    /// <summary>Campaign id from X-Job or the API.</summary>
    public string? JobId { get; init; }
    /// <summary>The Message-ID header of the content, without angle brackets.</summary>
    public string? HeaderMessageId { get; init; }
    /// <summary>How it came in: smtp, http or broker.</summary>
    public required string Channel { get; init; }
    /// <summary>The submitting client's address.</summary>
    public string? ClientAddress { get; init; }
    /// <summary>The RFC 5322 message exactly as it will travel (CRLF line endings, not dot-stuffed).</summary>
    public required byte[] Content { get; init; }
}
