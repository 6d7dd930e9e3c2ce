namespace Pipeline.Shared.Status;

/// <summary>A queue (VirtualMTA and destination domain) in a <see cref="DispatcherSnapshot"/>: the fields of the
/// Dispatcher's GET /api/v1/queues row, so the fleet view and one worker's view read the same.</summary>
public sealed record QueueSnapshotRow(
    string VirtualMta, string Domain, string Group, long Queued, long Deferred, long InFlight, DateTimeOffset? Oldest,
    string Mode, string? BackoffReason, int Connections, int ConnectionsAllWorkers, int Buffered,
    string? LastReply, string? LastError, DateTimeOffset? LastAttemptAt);
