namespace Pipeline.Dispatcher.Spool;

/// <summary>Where a recipient stands in the queue. The numbers are on disk: never renumber.</summary>
public enum RecipientState : byte
{
    /// <summary>Waiting for its first attempt.</summary>
    Queued = 0,
    /// <summary>Refused for now; waits until its next attempt time.</summary>
    Deferred = 1,
    /// <summary>Final: the receiver took it.</summary>
    Delivered = 2,
    /// <summary>Final: refused for good, or expired after BounceAfter.</summary>
    Failed = 3,
}
