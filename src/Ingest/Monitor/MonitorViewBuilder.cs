using Pipeline.Shared.Configuration;
using Pipeline.Shared.Status;

namespace Pipeline.Ingest.Monitor;

/// <summary>Reads the status board and joins it with the configuration (VirtualMTAs and pools) into a <see cref="MonitorView"/>.</summary>
public sealed class MonitorViewBuilder(IStatusBoard board, PipelineOptions options, TimeProvider clock)
{
    public async Task<MonitorView> BuildAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var status = await board.ReadAsync(now, Math.Max(options.Monitor.RateMinutes, 60), cancellationToken).ConfigureAwait(false);
        var lastHour = status.Minutes.TakeLast(60).ToList();
        var rates = status.Minutes.TakeLast(options.Monitor.RateMinutes).Select(m => new MinuteRate(m.Minute, m[StatusCounter.Accepted],
            m[StatusCounter.Delivered], m[StatusCounter.Deferred], m[StatusCounter.Bounced] + m[StatusCounter.RemoteBounced],
            m[StatusCounter.Complaint])).ToList();
        var totals = StatusCounter.All.Select(c => new CounterTotal(c, StatusCounter.Label(c),
            status.Totals.TryGetValue(c, out var n) ? n : 0, lastHour.Sum(m => m[c]))).ToList();
        var categories = status.BounceCategories.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => new CategoryCount(c.Key, c.Value)).ToList();

        var queues = status.Dispatchers
            .SelectMany(d => d.Queues.Select(q => new FleetQueue(d.Worker, q, q.Oldest is { } o ? (long)Math.Max(0, (now - o).TotalSeconds) : null)))
            .OrderBy(q => q.Queue.VirtualMta, StringComparer.OrdinalIgnoreCase).ThenByDescending(q => q.Queue.Queued + q.Queue.Deferred + q.Queue.InFlight)
            .ThenBy(q => q.Queue.Domain, StringComparer.OrdinalIgnoreCase).ThenBy(q => q.Worker, StringComparer.Ordinal).ToList();
        var workers = status.Dispatchers.Select(d => new WorkerView(d.Worker, d.PublishedAt, d.VirtualMtas, d.Queues.Count,
            d.Queues.Sum(q => q.Queued + q.Deferred + q.InFlight))).ToList();

        var virtualMtas = options.VirtualMtas.OrderBy(v => v.Key, StringComparer.OrdinalIgnoreCase).Select(v =>
        {
            var mine = queues.Where(q => q.Queue.VirtualMta.Equals(v.Key, StringComparison.OrdinalIgnoreCase)).ToList();
            return new VirtualMtaView(v.Key, v.Value.SourceIp, v.Value.HostName,
                options.Pools.Where(p => p.Value.Any(m => PoolMember.TryParse(m, out var pm) && pm.VirtualMta.Equals(v.Key, StringComparison.OrdinalIgnoreCase)))
                    .Select(p => p.Key).Order(StringComparer.OrdinalIgnoreCase).ToList(),
                status.Dispatchers.Where(d => d.VirtualMtas.Contains(v.Key, StringComparer.OrdinalIgnoreCase)).Select(d => d.Worker).ToList(),
                mine.Sum(q => q.Queue.Queued), mine.Sum(q => q.Queue.Deferred), mine.Sum(q => q.Queue.InFlight),
                mine.Sum(q => q.Queue.Connections), mine.Count, mine.Count(q => q.Queue.Mode == "backoff"));
        }).ToList();
        var pools = options.Pools.OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase).Select(p =>
        {
            var members = p.Value.Select(m => PoolMember.TryParse(m, out var pm) ? pm.VirtualMta : m).ToList();
            var mine = virtualMtas.Where(v => members.Contains(v.Name, StringComparer.OrdinalIgnoreCase)).ToList();
            return new PoolView(p.Key, p.Value, mine.Sum(v => v.Queued), mine.Sum(v => v.Deferred), mine.Sum(v => v.InFlight));
        }).ToList();

        return new MonitorView(now, status.Error, rates, totals, categories, queues, workers, virtualMtas, pools, status.Recent);
    }
}
