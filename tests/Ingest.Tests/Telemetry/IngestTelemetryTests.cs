using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Ingest.Telemetry;
using Pipeline.Ingest.Tests.Support;
using Pipeline.Shared.Telemetry;

namespace Pipeline.Ingest.Tests.Telemetry;

/// <summary>Ingest's instruments count what it accepted, by way in, and its open SMTP sessions; each accepted message
/// starts a trace of its own.</summary>
public sealed class IngestTelemetryTests : IngestTest
{
    private readonly ConcurrentBag<Activity> _activities = [];
    private readonly ActivityListener _listener;

    public IngestTelemetryTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == IngestActivities.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _activities.Add,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public override async Task DisposeAsync()
    {
        _listener.Dispose();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task Smtp_and_http_acceptances_are_counted_by_source_with_their_publish_times_and_a_trace_each()
    {
        await StartHostAsync(IngestHost.Options("127.0.0.0/8"));
        using var metrics = new MetricRecorder(Host.Services.GetRequiredService<IMeterFactory>());

        var (client, greeting) = await Host.ConnectAsync(Timeout.Token);
        await using (client)
        {
            Assert.Equal(220, greeting.Code);
            // Admitted before the greeting: this session is being served.
            Assert.Equal(1, Assert.Single(metrics.Observe("pipeline.smtp.sessions.open")).Value);
            Assert.Equal(250, (await client.CommandAsync("EHLO client.example.com")).Code);
            await OpenDataAsync(client, "a@example.com", "b@example.net");
            await client.SendRawAsync("Subject: one\r\n\r\nbody\r\n.\r\n");
            Assert.Equal(250, (await client.ReadReplyAsync()).Code);
        }
        using var http = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Host.HttpBase, "/api/v1/messages"))
        {
            Content = new StringContent("""{ "from": "shop@example.com", "to": ["ann@example.net"], "subject": "two", "text": "body" }""",
                Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", IngestHost.ApiKey);
        Assert.Equal(202, (int)(await http.SendAsync(request, Timeout.Token)).StatusCode);

        Assert.Equal(1, metrics.Sum("pipeline.messages.accepted", ("source", "smtp")));
        Assert.Equal(1, metrics.Sum("pipeline.messages.accepted", ("source", "http")));
        Assert.Equal(0, metrics.Sum("pipeline.messages.accepted", ("source", "broker")));
        Assert.Equal(2, metrics.Count("pipeline.broker.publish.duration", ("service", "ingest"), ("message_type", "MessageAccepted")));

        var published = Published();
        Assert.Equal(2, published.Count);
        var traces = published.Select(m => Assert.Single(_activities, a => a.GetTagItem("pipeline.message_id") as string == m.MessageId.ToString())).ToList();
        // Each message is the root of its own trace, whatever session or request brought it.
        Assert.All(traces, a => Assert.Equal(default, a.ParentSpanId));
        Assert.NotEqual(traces[0].TraceId, traces[1].TraceId);
        Assert.Equal(["smtp", "http"], traces.Select(a => a.GetTagItem("pipeline.source") as string));
    }
}
