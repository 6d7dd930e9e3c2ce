using Pipeline.Contracts;

namespace Pipeline.Dispatcher.Spool;

/// <summary>Work the queue hands to delivery: one message's recipients at one destination domain that are due now.
/// <see cref="Message"/> is read from the spool, its <c>Recipients</c> cut down to these.</summary>
public sealed record DueDelivery(MessageSigned Message, string Domain, IReadOnlyList<DueRecipient> Recipients)
{
    /// <summary>The W3C traceparent the message was stored with: its delivery attempts continue that trace.</summary>
    public string? TraceParent { get; init; }
}

/// <summary>A recipient due for an attempt. <paramref name="Handle"/> names it when its outcome is reported.</summary>
public readonly record struct DueRecipient(string Address, int Handle, int AttemptsSoFar);

/// <summary>The outcome of an attempt for one recipient, as the queue keeps it.</summary>
public readonly record struct RecipientCompletion(int Handle, RecipientStatus Status);
