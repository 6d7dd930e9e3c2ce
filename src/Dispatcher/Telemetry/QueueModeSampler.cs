using Pipeline.Dispatcher.Traffic;

namespace Pipeline.Dispatcher.Telemetry;

/// <summary>Refreshes the queues' modes for pipeline_queue_backoff every few seconds: the mode is shared state (Redis),
/// too slow to read inside a scrape, and it changes on any worker.</summary>
public sealed class QueueModeSampler(QueueMetrics metrics, ILogger<QueueModeSampler> log) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                await metrics.RefreshModesAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The gauge keeps the last modes read; the traffic store logs its own trouble.
                TrafficLog.ModeSampleFailed(log, e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
