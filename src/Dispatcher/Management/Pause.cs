namespace Pipeline.Dispatcher.Management;

/// <summary>A pause in force: what, and since when.</summary>
public sealed record Pause(PauseTarget Target, DateTimeOffset PausedAt);
