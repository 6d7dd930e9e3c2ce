namespace Pipeline.Shared.Status;

/// <summary>One Dispatcher worker's queues as its GET /api/v1/queues shows them, published to the board.</summary>
/// <param name="Worker">The worker's name (Dispatcher:InstanceName, by default host name and process id).</param>
/// <param name="PublishedAt">When the snapshot was taken.</param>
/// <param name="VirtualMtas">The VirtualMTAs this worker serves.</param>
/// <param name="Queues">One row per VirtualMTA and destination domain.</param>
public sealed record DispatcherSnapshot(string Worker, DateTimeOffset PublishedAt, IReadOnlyList<string> VirtualMtas,
    IReadOnlyList<QueueSnapshotRow> Queues);
