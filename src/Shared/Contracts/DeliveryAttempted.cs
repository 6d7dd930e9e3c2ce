namespace Pipeline.Contracts;

/// <summary>One delivery attempt for one recipient, with the exact reply. Published on pipeline.events.delivery.</summary>
public sealed record DeliveryAttempted
{
    /// <summary>Unique per attempt and recipient, so consumers can drop a redelivered copy.</summary>
    public required Guid AttemptId { get; init; }
    /// <summary>The pipeline's message id.</summary>
    public required Guid MessageId { get; init; }
    /// <summary>Delivered, Deferred or Failed.</summary>
    public required DeliveryOutcome Outcome { get; init; }
    /// <summary>Envelope sender.</summary>
    public required string MailFrom { get; init; }
    /// <summary>The recipient this attempt was for.</summary>
    public required string Recipient { get; init; }
    /// <summary>The SMTP reply code (250, 421, 550 ...); 0 when no reply was received (connection failure).</summary>
    public required int SmtpCode { get; init; }
    /// <summary>The enhanced status code (RFC 3463), e.g. 5.1.1; synthesised from the code class when the reply had none.</summary>
    public required string EnhancedStatus { get; init; }
    /// <summary>The reply text verbatim, or a description of the connection failure.</summary>
    public required string Diagnostic { get; init; }
    /// <summary>Host name of the MX or route that answered.</summary>
    public string? RemoteMta { get; init; }
    /// <summary>IP address of the MX or route that answered.</summary>
    public string? RemoteIp { get; init; }
    /// <summary>The VirtualMTA the attempt left from.</summary>
    public required string VirtualMta { get; init; }
    /// <summary>The source IP address bound for the attempt.</summary>
    public string? SourceIp { get; init; }
    /// <summary>Campaign id.</summary>
    public string? JobId { get; init; }
    /// <summary>The Message-ID header of the content.</summary>
    public string? HeaderMessageId { get; init; }
    /// <summary>When Ingest accepted the message.</summary>
    public required DateTimeOffset QueuedAt { get; init; }
    /// <summary>When this attempt ended.</summary>
    public required DateTimeOffset AttemptedAt { get; init; }
    /// <summary>1 for the first attempt.</summary>
    public required int AttemptNumber { get; init; }
    /// <summary>For a deferral: when the next attempt is due.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }
    /// <summary>The TLS protocol of the connection (Tls12, Tls13), or null when the message went in clear.</summary>
    public string? TlsProtocol { get; init; }
    /// <summary>Set when no receiver answered because an operator ended the recipient (e.g. "deleted by
    /// administrator"): the reason. Such a failure is not the recipient's fault and never suppresses it.</summary>
    public string? Administrative { get; init; }
}
