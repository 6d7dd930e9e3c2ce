namespace Pipeline.Contracts;

/// <summary>A failed or deferred delivery, or an asynchronous bounce, put in a category a sender can act on.
/// Published on pipeline.events.bounce.</summary>
public sealed record BounceClassified
{
    /// <summary>The pipeline's message id, when the bounce maps back to one.</summary>
    public Guid? MessageId { get; init; }
    /// <summary>The recipient that bounced.</summary>
    public required string Recipient { get; init; }
    /// <summary>PowerMTA-style category: bad-mailbox, bad-domain, quota-issues, spam-related ...</summary>
    public required string Category { get; init; }
    /// <summary>True for a permanent (hard) bounce, which suppresses the recipient.</summary>
    public required bool IsHard { get; init; }
    /// <summary>The SMTP reply code, 0 when unknown.</summary>
    public required int SmtpCode { get; init; }
    /// <summary>The enhanced status code.</summary>
    public required string EnhancedStatus { get; init; }
    /// <summary>The diagnostic text.</summary>
    public required string Diagnostic { get; init; }
    /// <summary>Campaign id.</summary>
    public string? JobId { get; init; }
    /// <summary>The VirtualMTA the message left from.</summary>
    public string? VirtualMta { get; init; }
    /// <summary>The envelope sender of the original message.</summary>
    public string? MailFrom { get; init; }
    /// <summary>The server that refused (the MX that answered, or a DSN's Remote-MTA).</summary>
    public string? RemoteMta { get; init; }
    /// <summary>"reply" for a refusal in our own SMTP session, "dsn" for an asynchronous bounce that came back.</summary>
    public string? Source { get; init; }
    /// <summary>The classification rule that decided (for operators tuning the rules file).</summary>
    public string? Rule { get; init; }
    /// <summary>When the bounce happened.</summary>
    public required DateTimeOffset OccurredAt { get; init; }
}
