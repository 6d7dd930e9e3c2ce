namespace Pipeline.Ingest.Submission;

/// <summary>How a <see cref="Pipeline.Contracts.SubmitMessage"/> went; HTTP maps it to 202/400/413/503, the
/// broker consumer to ack, error queue or redelivery.</summary>
public enum SubmissionOutcomeStatus { Accepted, Invalid, TooLarge, BrokerUnavailable }

/// <summary>One recipient's message id.</summary>
public sealed record RecipientMessageId(string Recipient, Guid MessageId);

public sealed record SubmissionOutcome(SubmissionOutcomeStatus Status)
{
    /// <summary>Per recipient, the id of the message that carries it: every recipient for Accepted, those the broker
    /// confirmed for BrokerUnavailable (a batch may be partly accepted: the sender retries only the rest).</summary>
    public IReadOnlyList<RecipientMessageId> Accepted { get; init; } = [];

    /// <summary>Field name (as in JSON) to problems, for Invalid and TooLarge.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; init; } = new Dictionary<string, string[]>();

    public string? Detail { get; init; }
}
