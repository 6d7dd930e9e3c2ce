namespace Pipeline.Dispatcher.Spool;

/// <summary>The kinds of record a spool segment holds. The numbers are on disk: never renumber.</summary>
public enum SpoolRecordType : byte
{
    /// <summary>A message with its envelope, recipients (each with its state) and body.</summary>
    MessageStored = 1,
    /// <summary>One recipient of a stored message changed state: delivered, failed, or deferred to a time.</summary>
    RecipientChanged = 2,
    /// <summary>Every recipient of a stored message is final; the message is gone from the queue.</summary>
    MessageRemoved = 3,
}
