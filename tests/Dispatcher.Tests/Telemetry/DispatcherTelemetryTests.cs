using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.Contracts;
using Pipeline.Dispatcher.Spool;
using Pipeline.Dispatcher.Telemetry;
using Pipeline.Dispatcher.Tests.Support;
using Pipeline.Dispatcher.Traffic;
using Pipeline.Shared.Configuration;

namespace Pipeline.Dispatcher.Tests.Telemetry;

/// <summary>The real Dispatcher (AddDispatcher: spool, scheduler, queues) delivering to a scripted receiver, with the
/// in-memory harness as the broker: its instruments count each recipient's outcome and show the queue, and each
/// delivery attempt continues the trace the message was stored with.</summary>
public sealed class DispatcherTelemetryTests : IAsyncLifetime
{
    private const string StoredTraceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private readonly TempDirectory _data = new();
    private readonly ScriptedSmtpServer _receiver = new(new SmtpScript
    {
        RcptReplies = new Dictionary<string, string>
        {
            ["bad@one.test"] = "550 5.1.1 <bad@one.test>: Recipient address rejected: User unknown",
            ["later@one.test"] = "451 4.2.0 <later@one.test>: Mailbox busy, try again later",
        },
    });
    private readonly ConcurrentBag<Activity> _attempts = [];
    private readonly ConcurrentBag<Activity> _sends = [];
    private readonly ActivityListener _listener;
    private IHost? _host;

    public DispatcherTelemetryTests()
    {
        _listener = new ActivityListener
        {
            // MassTransit's own activities too: listened to, it carries the trace context in each message's headers.
            ShouldListenTo = source => source.Name is DispatcherActivities.SourceName or "MassTransit",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => (a.Source.Name == DispatcherActivities.SourceName ? _attempts : _sends).Add(a),
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public async Task InitializeAsync()
    {
        var options = TestPipeline.Options(_data.Path, ("one.test", _receiver.Route));
        options.Dispatcher.Serve = ["mta1"];
        options.Dispatcher.Spool.SegmentSize = SpoolOptions.MinSegmentSize;
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(new DomainPolicies(options));
        var module = builder.Services.AddDispatcher(options, sharedState: false);
        builder.Services.AddMassTransitTestHarness(TextWriter.Null, module.AddConsumers);
        _host = builder.Build();
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }
        _listener.Dispose();
        await _receiver.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Each_recipient_outcome_is_counted_the_queue_is_shown_and_the_attempt_continues_the_stored_trace()
    {
        var services = _host!.Services;
        using var metrics = new MetricRecorder(services.GetRequiredService<IMeterFactory>());
        var spools = services.GetRequiredService<SpoolRegistry>();
        await spools.Opened;
        var message = TestPipeline.Message(["ok@one.test", "bad@one.test", "later@one.test"]);

        await spools.For("mta1").StoreAsync(message, StoredTraceParent, CancellationToken.None);

        // Waits for the outcomes to be counted (not a timing assertion: the counts are checked exactly after).
        await WaitUntilAsync(() => metrics.Sum("pipeline.messages.delivered") + metrics.Sum("pipeline.messages.bounced")
            + metrics.Sum("pipeline.messages.deferred") >= 3);
        (string, string)[] queue = [("vmta", "mta1"), ("group", "one.test")];
        Assert.Equal(1, metrics.Sum("pipeline.messages.delivered", queue));
        Assert.Equal(1, metrics.Sum("pipeline.messages.bounced", queue));
        Assert.Equal(1, metrics.Sum("pipeline.messages.deferred", queue));
        Assert.Equal(3, metrics.Count("pipeline.broker.publish.duration", ("service", "dispatcher"), ("message_type", "DeliveryAttempted")));
        // One connection was opened (+1) and closed again (-1) once the work ran out.
        await WaitUntilAsync(() => metrics.Count("pipeline.smtp.connections.open", queue) >= 2);
        Assert.Equal(2, metrics.Count("pipeline.smtp.connections.open", queue));
        Assert.Equal(0, metrics.Sum("pipeline.smtp.connections.open", queue));

        // The deferred recipient waits in the spool.
        Assert.Equal(1, Gauge(metrics, "pipeline.queue.recipients", ("vmta", "mta1"), ("domain", "one.test"), ("state", "deferred")));
        Assert.Equal(0, Gauge(metrics, "pipeline.queue.recipients", ("vmta", "mta1"), ("domain", "one.test"), ("state", "queued")));
        Assert.Equal(0, Gauge(metrics, "pipeline.queue.recipients", ("vmta", "mta1"), ("domain", "one.test"), ("state", "inflight")));
        Assert.True(Gauge(metrics, "pipeline.queue.oldest_age", ("vmta", "mta1"), ("domain", "one.test")) >= 0);
        Assert.Equal(spools.For("mta1").SegmentNumbers.Count, Gauge(metrics, "pipeline.spool.segments", ("vmta", "mta1")));
        Assert.Equal(spools.For("mta1").SegmentBytes, Gauge(metrics, "pipeline.spool", ("vmta", "mta1")));

        // Backoff mode per queue, as the sampler reads it.
        var queueMetrics = services.GetRequiredService<QueueMetrics>();
        await queueMetrics.RefreshModesAsync(CancellationToken.None);
        Assert.Equal(0, Gauge(metrics, "pipeline.queue.backoff", queue));
        await services.GetRequiredService<TrafficController>().EnterBackoffAsync("mta1", "one.test", "test", TimeSpan.FromMinutes(10), CancellationToken.None);
        await queueMetrics.RefreshModesAsync(CancellationToken.None);
        Assert.Equal(1, Gauge(metrics, "pipeline.queue.backoff", queue));

        // The attempt is a child of the consume that stored the message, and its events were published inside it.
        var attempt = Assert.Single(_attempts, a => a.GetTagItem("pipeline.message_id") as string == message.MessageId.ToString());
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", attempt.TraceId.ToHexString());
        Assert.Equal("00f067aa0ba902b7", attempt.ParentSpanId.ToHexString());
        var harness = services.GetRequiredService<ITestHarness>();
        var published = harness.Published.Select<DeliveryAttempted>().Where(p => p.Context.Message.MessageId == message.MessageId).ToList();
        Assert.Equal(3, published.Count);
        // MassTransit's send activities are children of the attempt, and it carries their context in MT-Activity-Id.
        Assert.Equal(3, _sends.Count(a => a.ParentSpanId == attempt.SpanId));
        Assert.All(published, p => Assert.Equal(attempt.TraceId,
            ActivityContext.Parse(Assert.IsType<string>(p.Context.Headers.Get<string>("MT-Activity-Id")), null).TraceId));
    }

    [Fact]
    public void Beyond_the_deepest_domains_the_rest_are_summed_as_other_with_the_oldest_of_them()
    {
        var now = new DateTimeOffset(2026, 3, 14, 12, 0, 0, TimeSpan.Zero);
        var counts = Enumerable.Range(0, QueueMetrics.TopDomains + 3)
            .Select(i => new DomainQueueCounts($"d{i}.test", Queued: 100 - i, Deferred: 1, InFlight: 0, Oldest: now.AddMinutes(-i)))
            .ToList();

        var rows = QueueMetrics.Capped("mta1", counts, now).ToList();

        Assert.Equal(QueueMetrics.TopDomains + 1, rows.Count);
        Assert.Equal("d0.test", rows[0].Domain);
        var other = rows[^1];
        Assert.Equal(QueueMetrics.OtherDomains, other.Domain);
        Assert.Equal((100 - 50) + (100 - 51) + (100 - 52), other.Queued);
        Assert.Equal(3, other.Deferred);
        Assert.Equal(52 * 60, other.OldestAgeSeconds);
    }

    private static double Gauge(MetricRecorder metrics, string instrument, params (string, string)[] tags) =>
        Assert.Single(metrics.Observe(instrument, tags)).Value;

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition()) await Task.Delay(50, timeout.Token);
    }
}
