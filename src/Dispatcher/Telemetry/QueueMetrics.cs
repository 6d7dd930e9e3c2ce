using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Pipeline.Dispatcher.Delivery;
using Pipeline.Dispatcher.Spool;
using Pipeline.Dispatcher.Traffic;

namespace Pipeline.Dispatcher.Telemetry;

/// <summary>The queues as gauges (meter "Pipeline.Dispatcher"), read at scrape time: recipients per VirtualMTA,
/// destination domain and state (pipeline_queue_recipients), the oldest message's age
/// (pipeline_queue_oldest_age_seconds), spool size (pipeline_spool_bytes, pipeline_spool_segments) and each queue's
/// mode (pipeline_queue_backoff, 1 in backoff). Domains are capped at the <see cref="TopDomains"/> deepest per
/// VirtualMTA, the rest summed as domain="other", so a spool with a million domains stays a small scrape.</summary>
public sealed class QueueMetrics
{
    public const int TopDomains = 50;
    public const string OtherDomains = "other";

    /// <summary>Both queue gauges are read in one scrape: one look at the spools serves them.</summary>
    private static readonly TimeSpan SnapshotLifetime = TimeSpan.FromSeconds(1);

    private readonly SpoolRegistry _spools;
    private readonly DeliveryQueues _queues;
    private readonly TrafficController _traffic;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<(string VirtualMta, string Group), bool> _backoff = new();
    private readonly Lock _snapshotLock = new();
    private (DateTimeOffset At, List<Row> Rows)? _snapshot;

    internal sealed record Row(string VirtualMta, string Domain, long Queued, long Deferred, long InFlight, double OldestAgeSeconds);

    private readonly GroupLabels _groups;

    public QueueMetrics(IMeterFactory meters, SpoolRegistry spools, DeliveryQueues queues, TrafficController traffic, TimeProvider clock, GroupLabels groups)
    {
        _groups = groups;
        _spools = spools;
        _queues = queues;
        _traffic = traffic;
        _clock = clock;
        var meter = meters.Create(DeliveryMetrics.MeterName);
        meter.CreateObservableGauge("pipeline.queue.recipients", ObserveRecipients, null,
            "Recipients in the spool by VirtualMTA, destination domain and state (queued: due now, deferred: waiting to retry, inflight: being delivered)");
        meter.CreateObservableGauge("pipeline.queue.oldest_age", ObserveOldest, "s",
            "Age of the oldest message waiting, by VirtualMTA and destination domain");
        meter.CreateObservableGauge("pipeline.spool", () => _spools.All.Select(s => new Measurement<long>(s.SegmentBytes, Tag("vmta", s.VirtualMta))), "By",
            "Bytes of spool segment files, by VirtualMTA");
        meter.CreateObservableGauge("pipeline.spool.segments", () => _spools.All.Select(s => new Measurement<long>(s.SegmentNumbers.Count, Tag("vmta", s.VirtualMta))), null,
            "Spool segment files, by VirtualMTA");
        meter.CreateObservableGauge("pipeline.queue.backoff",
            () => _backoff.GroupBy(b => (b.Key.VirtualMta, Group: _groups.For(b.Key.Group)))
                .Select(g => new Measurement<int>(g.Count(b => b.Value), Tag("vmta", g.Key.VirtualMta), Tag("group", g.Key.Group))), null,
            "1 while the queue (VirtualMTA and provider group) is in backoff mode, 0 in normal mode; for group=\"other\" the number of those groups in backoff");
    }

    /// <summary>Reads the mode of every queue this Dispatcher has delivered to (shared state, so it is fetched here,
    /// off the scrape); <see cref="QueueModeSampler"/> calls it every few seconds.</summary>
    public async Task RefreshModesAsync(CancellationToken cancellationToken)
    {
        var current = _queues.All.Where(q => q.Group is not null).Select(q => (q.VirtualMta, q.Group!)).Distinct().ToHashSet();
        foreach (var (virtualMta, group) in current)
        {
            var mode = await _traffic.ModeAsync(virtualMta, group, cancellationToken).ConfigureAwait(false);
            _backoff[(virtualMta, group)] = mode.InBackoff;
        }
        // A queue that is gone (idle, closed) leaves the gauge with it.
        foreach (var key in _backoff.Keys) if (!current.Contains(key)) _backoff.TryRemove(key, out _);
    }

    private IEnumerable<Measurement<long>> ObserveRecipients()
    {
        foreach (var row in Snapshot())
        {
            var vmta = Tag("vmta", row.VirtualMta);
            var domain = Tag("domain", row.Domain);
            yield return new Measurement<long>(row.Queued, vmta, domain, Tag("state", "queued"));
            yield return new Measurement<long>(row.Deferred, vmta, domain, Tag("state", "deferred"));
            yield return new Measurement<long>(row.InFlight, vmta, domain, Tag("state", "inflight"));
        }
    }

    private IEnumerable<Measurement<double>> ObserveOldest() =>
        Snapshot().Select(row => new Measurement<double>(row.OldestAgeSeconds, Tag("vmta", row.VirtualMta), Tag("domain", row.Domain)));

    private List<Row> Snapshot()
    {
        var now = _clock.GetUtcNow();
        lock (_snapshotLock)
        {
            if (_snapshot is { } taken && now - taken.At < SnapshotLifetime) return taken.Rows;
            var rows = new List<Row>();
            foreach (var spool in _spools.All) rows.AddRange(Capped(spool.VirtualMta, spool.Inspect(), now));
            _snapshot = (now, rows);
            return rows;
        }
    }

    /// <summary>The deepest domains one by one, the rest as one "other" row (their sums, and the oldest of them).</summary>
    internal static IEnumerable<Row> Capped(string virtualMta, IReadOnlyList<DomainQueueCounts> counts, DateTimeOffset now)
    {
        var ordered = counts.OrderByDescending(c => c.Total).ThenBy(c => c.Domain, StringComparer.Ordinal).ToList();
        foreach (var c in ordered.Take(TopDomains))
            yield return new Row(virtualMta, c.Domain, c.Queued, c.Deferred, c.InFlight, Age(c.Oldest, now));
        var rest = ordered.Skip(TopDomains).ToList();
        if (rest.Count > 0)
        {
            var other = DomainQueueCounts.Combined(OtherDomains, rest);
            yield return new Row(virtualMta, OtherDomains, other.Queued, other.Deferred, other.InFlight, Age(other.Oldest, now));
        }
    }

    private static double Age(DateTimeOffset oldest, DateTimeOffset now) => Math.Max(0, (now - oldest).TotalSeconds);

    private static KeyValuePair<string, object?> Tag(string key, string value) => new(key, value);
}
