namespace Pipeline.Ingest.Submission;

/// <summary>What became of a submission; each value maps to one SMTP reply and one HTTP status.</summary>
public enum SubmissionStatus
{
    /// <summary>The broker confirmed the publish: the pipeline now owns the message.</summary>
    Accepted,
    /// <summary>X-Virtual-MTA (or the API field) names neither a VirtualMTA nor a pool.</summary>
    UnknownVirtualMta,
    /// <summary>The broker did not confirm in time; nothing was accepted, the sender should retry.</summary>
    BrokerUnavailable,
}

/// <summary>The outcome and the pipeline's id of the message (the first one when a per-recipient List-Unsubscribe
/// split it; <see cref="MessageIds"/> has them all).</summary>
public sealed record SubmissionResult(SubmissionStatus Status, Guid MessageId, string? Detail = null)
{
    public IReadOnlyList<Guid> MessageIds { get; init; } = [MessageId];
}
