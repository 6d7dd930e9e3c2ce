namespace Pipeline.Dispatcher.Traffic;

/// <summary>How a queue (VirtualMTA × domain group) is sending: normally, or in backoff after the provider pushed
/// back, with the reason (the reply pattern or signal that put it there).</summary>
public readonly record struct QueueMode(bool InBackoff, string? Reason)
{
    public static QueueMode Normal { get; } = new(false, null);

    public override string ToString() => InBackoff ? $"backoff ({Reason})" : "normal";
}
