using System.Globalization;
using Pipeline.Dispatcher.Delivery;
using Pipeline.Shared.Configuration;
using Pipeline.Shared.Status;

namespace Pipeline.Dispatcher.Status;

/// <summary>Publishes this worker's queues (the rows of GET /api/v1/queues) to the status board every
/// Dispatcher:StatusInterval, living three intervals, so the monitor shows the whole fleet and a dead worker drops out.
/// A failure is logged and the next interval tries again: the fleet view is never worth stopping delivery for.</summary>
public sealed class QueueSnapshotPublisher(QueueStatusRows rows, IStatusBoard board, ServedVirtualMtas served, PipelineOptions options,
    TimeProvider clock, ILogger<QueueSnapshotPublisher> log) : BackgroundService
{
    /// <summary>How many intervals a snapshot outlives its publication: one missed publication is no death.</summary>
    public const int LivesIntervals = 3;

    public TimeSpan Interval { get; } = DurationText.Parse(options.Dispatcher.StatusInterval);

    public string Worker { get; } = options.Dispatcher.InstanceName is { Length: > 0 } name ? name
        : $"{Environment.MachineName}-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            await PublishOnceAsync(stoppingToken).ConfigureAwait(false);
        }
        while (await WaitAsync(timer, stoppingToken).ConfigureAwait(false));
    }

    /// <summary>The fleet snapshot keeps the active and deepest queues of each VirtualMTA, the rest summed in one row:
    /// it is a JSON value in Redis per worker every few seconds, and a page the monitor renders.</summary>
    public const int RowsPerVirtualMta = 200;

    public async Task PublishOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            var queues = await rows.BuildAsync(cancellationToken, RowsPerVirtualMta).ConfigureAwait(false);
            var snapshot = new DispatcherSnapshot(Worker, clock.GetUtcNow(), served.Names.ToArray(), queues.Select(ToRow).ToArray());
            await board.PublishQueuesAsync(snapshot, Interval * LivesIntervals, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            DispatcherLog.SnapshotFailed(log, e.Message);
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static QueueSnapshotRow ToRow(QueueStatusEndpoint.QueueStatus q) => new(q.VirtualMta, q.Domain, q.Group, q.Queued, q.Deferred,
        q.InFlight, q.Oldest, q.Mode, RecentEvent.MaskAddresses(q.BackoffReason), q.Connections, q.ConnectionsAllWorkers, q.Buffered,
        RecentEvent.MaskAddresses(q.LastReply), RecentEvent.MaskAddresses(q.LastError), q.LastAttemptAt);
}
