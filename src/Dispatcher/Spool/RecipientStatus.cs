namespace Pipeline.Dispatcher.Spool;

/// <summary>A recipient's place in the queue as a record carries it: state, attempts made so far, and when the next
/// attempt is due (UTC ticks).</summary>
public readonly record struct RecipientStatus(RecipientState State, ushort Attempts, long NextAttemptTicks)
{
    public bool IsFinal => State is RecipientState.Delivered or RecipientState.Failed;
}
