namespace Pipeline.Contracts;

/// <summary>What one delivery attempt for one recipient came to.</summary>
public enum DeliveryOutcome
{
    /// <summary>The receiving MTA answered 2xx: final.</summary>
    Delivered,
    /// <summary>A transient failure (4xx, connection trouble): the Dispatcher tries again later.</summary>
    Deferred,
    /// <summary>A permanent failure (5xx, or expired after BounceAfter): final.</summary>
    Failed,
}
