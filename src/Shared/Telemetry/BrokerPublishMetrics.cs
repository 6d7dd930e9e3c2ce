using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Pipeline.Shared.Telemetry;

/// <summary>pipeline_broker_publish_duration_seconds{service, message_type}: how long the broker takes to confirm a
/// publish or send. Ingest's 250 waits for this confirm, so it is the first place a slow broker shows.</summary>
public sealed class BrokerPublishMetrics
{
    public const string MeterName = "Pipeline.Broker";

    // Confirms take a millisecond on a healthy local broker and seconds on a struggling one.
    private static readonly double[] Buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Histogram<double> _duration;

    public BrokerPublishMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _duration = meter.CreateHistogram("pipeline.broker.publish.duration", "s",
            "Time from publish (or send) until the broker confirmed it, by service and message type",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets });
    }

    /// <summary>Runs <paramref name="publish"/> and records its duration, whether it succeeded or not.</summary>
    public async Task TimeAsync(string service, string messageType, Func<Task> publish)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await publish().ConfigureAwait(false);
        }
        finally
        {
            _duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>("service", service), new KeyValuePair<string, object?>("message_type", messageType));
        }
    }
}
