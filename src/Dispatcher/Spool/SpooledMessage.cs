namespace Pipeline.Dispatcher.Spool;

/// <summary>A message still in a spool, as an operator looks it up: its envelope and where each recipient stands.</summary>
public sealed record SpooledMessage(Guid MessageId, string VirtualMta, string MailFrom, string? JobId, string? HeaderMessageId,
    DateTimeOffset AcceptedAt, IReadOnlyList<SpooledRecipient> Recipients);

/// <summary>One recipient of a <see cref="SpooledMessage"/>: <paramref name="State"/> is queued (due now), deferred
/// (waiting for <paramref name="NextAttemptAt"/>), in-flight, delivered or failed; <paramref name="Paused"/> when an
/// operator's pause holds it.</summary>
public sealed record SpooledRecipient(string Address, string Domain, string State, bool Paused, int Attempts, DateTimeOffset? NextAttemptAt);
