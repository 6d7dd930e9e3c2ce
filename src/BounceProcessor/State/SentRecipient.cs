namespace Pipeline.BounceProcessor.State;

/// <summary>What the BounceProcessor remembers of each recipient it saw a delivery attempt for, so an asynchronous
/// bounce or a complaint days later maps back to the original message, job and VirtualMTA.</summary>
public sealed record SentRecipient(Guid MessageId, string Recipient, string MailFrom, string? JobId, string VirtualMta,
    string? SourceIp, string? HeaderMessageId, DateTimeOffset QueuedAt);
