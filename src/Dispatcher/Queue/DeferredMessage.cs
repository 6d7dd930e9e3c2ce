using Pipeline.Contracts;

namespace Pipeline.Dispatcher.Queue;

/// <summary>A message some of whose recipients wait for another attempt.</summary>
public sealed record DeferredMessage
{
    public required MessageSigned Message { get; init; }
    /// <summary>The recipients still to deliver.</summary>
    public required IReadOnlyList<string> Recipients { get; init; }
    /// <summary>Attempts made so far.</summary>
    public required int Attempts { get; init; }
    public required DateTimeOffset NextAttemptAt { get; init; }
}
