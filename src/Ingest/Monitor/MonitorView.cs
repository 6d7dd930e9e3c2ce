using Pipeline.Shared.Status;

namespace Pipeline.Ingest.Monitor;

/// <summary>Everything the web monitor shows, as GET /monitor/data.json returns it and the page renders it.</summary>
public sealed record MonitorView(
    DateTimeOffset GeneratedAt,
    string? Error,
    IReadOnlyList<MinuteRate> Rates,
    IReadOnlyList<CounterTotal> Totals,
    IReadOnlyList<CategoryCount> BounceCategories,
    IReadOnlyList<FleetQueue> Queues,
    IReadOnlyList<WorkerView> Workers,
    IReadOnlyList<VirtualMtaView> VirtualMtas,
    IReadOnlyList<PoolView> Pools,
    IReadOnlyList<RecentEvent> Recent);

/// <summary>One minute's traffic: in (accepted messages) and out (recipient outcomes).</summary>
public sealed record MinuteRate(DateTimeOffset Minute, long Accepted, long Delivered, long Deferred, long Bounced, long Complaints);

public sealed record CounterTotal(string Counter, string Label, long Total, long LastHour);

public sealed record CategoryCount(string Category, long Count);

/// <summary>A queue of one Dispatcher worker, with its oldest message's age in seconds at the time of the view.</summary>
public sealed record FleetQueue(string Worker, QueueSnapshotRow Queue, long? OldestAgeSeconds);

public sealed record WorkerView(string Worker, DateTimeOffset PublishedAt, IReadOnlyList<string> VirtualMtas, int Queues, long Recipients);

/// <summary>A configured VirtualMTA with the totals of its queues across the fleet.</summary>
public sealed record VirtualMtaView(string Name, string SourceIp, string HostName, IReadOnlyList<string> Pools, IReadOnlyList<string> Workers,
    long Queued, long Deferred, long InFlight, int Connections, int Domains, int InBackoff);

/// <summary>A configured pool with its members' queue totals.</summary>
public sealed record PoolView(string Name, IReadOnlyList<string> Members, long Queued, long Deferred, long InFlight);
