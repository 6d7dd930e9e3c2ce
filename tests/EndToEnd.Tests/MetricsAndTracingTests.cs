using System.Diagnostics;
using System.Text.RegularExpressions;
using Pipeline.EndToEnd.Tests.Infrastructure;
using StackExchange.Redis;

namespace Pipeline.EndToEnd.Tests;

/// <summary>The four services as processes on the real RabbitMQ, under a load of known size (some recipients
/// delivered, some refused with 550): every service's /metrics passes promtool, the counters agree with the
/// accounting log, and each message keeps one trace id from Ingest's acceptance to its accounting line.</summary>
[Collection(EndToEndCollection.Name)]
public sealed partial class MetricsAndTracingTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private const int Delivered = 30;
    private const int Refused = 10;

    [Fact]
    public async Task Metrics_pass_promtool_and_match_the_accounting_log_and_each_message_keeps_one_trace_id()
    {
        await using var receiver = new RefusingReceiver();
        using var config = new PipelineTestConfig(receiver.Port);
        config.CreateKey();
        var prefix = $"e2e-{Guid.NewGuid():N}:";
        config.Root["BounceProcessor"]!["RedisPrefix"] = prefix;
        var configFile = config.Write();
        try
        {
            await using var deliveryEvents = await FanoutListener.StartAsync("pipeline.events.delivery", config.RabbitMqUri);
            await using var services = await PipelineProcesses.StartAsync(config, configFile);

            var tag = Guid.NewGuid().ToString("N")[..8];
            var recipients = Enumerable.Range(0, Delivered).Select(i => $"known-{tag}-{i}@example.test")
                .Concat(Enumerable.Range(0, Refused).Select(i => $"unknown-{tag}-{i}@example.test")).ToList();
            // Four senders at once, one recipient per message.
            await Parallel.ForEachAsync(recipients, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (recipient, _) =>
                Assert.StartsWith("2.0.0 Ok: queued as", await SmtpSubmission.SendAsync(config.SmtpPort, SmtpSubmission.NewMessage($"metrics e2e {tag}", recipient))));

            await TestEnvironment.WaitUntilAsync(() => Task.FromResult(Final(config).Count == recipients.Count), Patience,
                $"{recipients.Count} d/b accounting lines\n{string.Join('\n', config.AccountingLines())}\n{services}");
            var records = AccountingCsv.Records(config.AccountingLines());
            var final = Final(config);
            Assert.Equal(Delivered, final.Count(r => r["type"] == "d"));
            Assert.Equal(Refused, final.Count(r => r["type"] == "b"));
            var transient = records.Count(r => r["type"] == "t");

            // The counters agree with the accounting log (the Dispatcher counts an outcome right after publishing it:
            // wait for the last scrape to catch up, then compare exactly).
            var ports = new Dictionary<string, int>
            {
                ["ingest"] = config.IngestHttpPort, ["signer"] = config.SignerHttpPort,
                ["dispatcher"] = config.DispatcherHttpPort, ["bounce-processor"] = config.BounceHttpPort,
            };
            var scrapes = new Dictionary<string, PrometheusScrape>();
            await TestEnvironment.WaitUntilAsync(async () =>
            {
                foreach (var (service, port) in ports) scrapes[service] = await PrometheusScrape.GetAsync(port);
                return scrapes["dispatcher"].Sum("pipeline_messages_delivered_total") + scrapes["dispatcher"].Sum("pipeline_messages_bounced_total")
                    + scrapes["dispatcher"].Sum("pipeline_messages_deferred_total") == records.Count
                    && scrapes["bounce-processor"].Sum("pipeline_accounting_records_total") == records.Count
                    // The queues' modes are sampled every 5 s (QueueModeSampler): the queue's series appears with the first sample after it exists.
                    && scrapes["dispatcher"].Has("pipeline_queue_backoff");
            }, Patience, $"the counters to reach the accounting log's {records.Count} lines\n{services}");

            foreach (var (service, scrape) in scrapes)
            {
                var (exitCode, output) = await scrape.CheckWithPromtoolAsync();
                Assert.True(exitCode == 0, $"promtool check metrics on {service}'s /metrics: {output}\n{scrape.Text}");
            }
            (string, string)[] queue = [("vmta", config.VirtualMta), ("group", "example.test")];
            var dispatcher = scrapes["dispatcher"];
            Assert.Equal(Delivered, dispatcher.Sum("pipeline_messages_delivered_total", queue));
            Assert.Equal(Refused, dispatcher.Sum("pipeline_messages_bounced_total", queue));
            Assert.Equal(transient, dispatcher.Sum("pipeline_messages_deferred_total", queue));
            Assert.Equal(records.Count, dispatcher.Sum("pipeline_broker_publish_duration_seconds_count", ("service", "dispatcher"), ("message_type", "DeliveryAttempted")));
            Assert.True(dispatcher.Sum("pipeline_spool_segments", ("vmta", config.VirtualMta)) >= 1);
            Assert.True(dispatcher.Has("pipeline_queue_backoff"));
            Assert.True(dispatcher.Has("pipeline_smtp_connections_open"));
            var bounces = scrapes["bounce-processor"];
            Assert.Equal(Delivered, bounces.Sum("pipeline_accounting_records_total", ("type", "d")));
            Assert.Equal(Refused, bounces.Sum("pipeline_accounting_records_total", ("type", "b")));
            Assert.Equal(Refused, bounces.Sum("pipeline_bounces_total", ("category", "bad-mailbox")));
            Assert.Equal(recipients.Count, scrapes["ingest"].Sum("pipeline_messages_accepted_total", ("source", "smtp")));
            Assert.Equal(recipients.Count, scrapes["ingest"].Sum("pipeline_broker_publish_duration_seconds_count", ("service", "ingest"), ("message_type", "MessageAccepted")));
            Assert.True(scrapes["ingest"].Has("pipeline_smtp_sessions_open"));
            Assert.Equal(recipients.Count, scrapes["signer"].Sum("pipeline_messages_signed_total"));
            Assert.Equal(recipients.Count, scrapes["signer"].Sum("pipeline_dkim_signatures_total", ("algorithm", "rsa-sha256")));

            // Every accounting line carries a trace id; each message has its own, the one Ingest logged when it
            // accepted the message, and the one its DeliveryAttempted events carried (MassTransit's MT-Activity-Id).
            Assert.All(records, r => Assert.Matches("^[0-9a-f]{32}$", r["traceId"]));
            var accepted = AcceptedTraces().Matches(services.Ingest.Output)
                .ToDictionary(m => Guid.Parse(m.Groups["id"].Value).ToString("N"), m => m.Groups["trace"].Value);
            Assert.Equal(recipients.Count, final.Select(r => r["traceId"]).Distinct().Count());
            Assert.All(records, r => Assert.Equal(accepted[r["pipelineId"]], r["traceId"]));
            await TestEnvironment.WaitUntilAsync(() => Task.FromResult(deliveryEvents.ReceivedWithHeaders.Count >= records.Count), Patience,
                $"{records.Count} DeliveryAttempted events on pipeline.events.delivery");
            foreach (var (body, headers) in deliveryEvents.ReceivedWithHeaders)
            {
                var id = Guid.Parse((string)body["messageId"]!).ToString("N");
                Assert.True(headers.TryGetValue("MT-Activity-Id", out var traceParent), $"no trace context in {string.Join(", ", headers.Keys)}");
                Assert.Equal(accepted[id], ActivityContext.Parse(traceParent, null).TraceId.ToHexString());
            }
        }
        finally
        {
            await using var redis = await ConnectionMultiplexer.ConnectAsync(TestEnvironment.Redis);
            foreach (var key in redis.GetServers()[0].Keys(pattern: prefix + "*")) await redis.GetDatabase().KeyDeleteAsync(key);
        }
    }

    /// <summary>The final records (d and b) so far.</summary>
    private static List<Dictionary<string, string>> Final(PipelineTestConfig config) =>
        AccountingCsv.Records(config.AccountingLines()).Where(r => r["type"] is "d" or "b").ToList();

    /// <summary>Ingest's log line for an accepted message, with the trace it started.</summary>
    [GeneratedRegex(@"Accepted (?<id>[0-9a-f-]{36}) by smtp .*, trace (?<trace>[0-9a-f]{32})")]
    private static partial Regex AcceptedTraces();
}
