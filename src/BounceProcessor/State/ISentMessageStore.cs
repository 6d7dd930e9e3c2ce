namespace Pipeline.BounceProcessor.State;

/// <summary>Recipients of sent messages, by pipeline message id and recipient tag (see VerpAddress), and the
/// pipeline id of each Message-ID header, kept for a retention period.</summary>
public interface ISentMessageStore
{
    Task RecordAsync(SentRecipient recipient, CancellationToken cancellationToken);
    /// <summary>The recipient of a message, by its address or its VERP recipient tag.</summary>
    Task<SentRecipient?> FindAsync(Guid messageId, string recipientOrTag, CancellationToken cancellationToken);
    /// <summary>The pipeline message id of a Message-ID header we sent.</summary>
    Task<Guid?> FindByHeaderMessageIdAsync(string headerMessageId, CancellationToken cancellationToken);
}
