namespace Pipeline.Dispatcher.Traffic;

/// <summary>The answer of a rate or connection limit: go now, or wait at least <see cref="RetryAfter"/>.</summary>
public readonly record struct RateDecision(bool Allowed, TimeSpan RetryAfter)
{
    public static RateDecision Allow { get; } = new(true, TimeSpan.Zero);

    public static RateDecision Wait(TimeSpan retryAfter) => new(false, retryAfter);
}
