using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.EndToEnd.Tests.Infrastructure;

namespace Pipeline.EndToEnd.Tests;

/// <summary>Traffic control with real processes, the real RabbitMQ and Redis, and a receiver that measures: limits
/// shared by two Dispatcher workers, a source-IP limit across domains, warm-up, and backoff on a throttling reply.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class TrafficControlTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private sealed class Pipeline(PipelineTestConfig config, List<ServiceProcess> processes) : IAsyncDisposable
    {
        public PipelineTestConfig Config => config;
        public IReadOnlyList<ServiceProcess> Dispatchers => processes.Where(p => p.Name == "Dispatcher").ToList();

        public async ValueTask DisposeAsync()
        {
            foreach (var process in processes) await process.DisposeAsync();
        }
    }

    /// <summary>Ingest, Signer and <paramref name="dispatchers"/> Dispatchers (each with its own spool and listener).</summary>
    private static async Task<Pipeline> StartAsync(PipelineTestConfig config, int dispatchers = 1)
    {
        config.CreateKey();
        var file = config.Write();
        var processes = new List<ServiceProcess> { ServiceProcess.Start("Ingest", file), ServiceProcess.Start("Signer", file) };
        var ports = new List<int> { config.DispatcherHttpPort };
        processes.Add(ServiceProcess.Start("Dispatcher", file));
        for (int i = 1; i < dispatchers; i++)
        {
            var port = FreePort.Next();
            ports.Add(port);
            processes.Add(ServiceProcess.Start("Dispatcher", file, new Dictionary<string, string>
            {
                ["Dispatcher__Http__Listen"] = $"127.0.0.1:{port}",
                ["Dispatcher__DataDirectory"] = Path.Combine(config.Directory, $"dispatcher{i}"),
            }));
        }
        await Task.WhenAll(
            processes[0].WaitForHttpAsync(config.IngestHttpPort, "/readyz", StartTimeout),
            processes[1].WaitForHttpAsync(config.SignerHttpPort, "/readyz", StartTimeout));
        for (int i = 0; i < ports.Count; i++) await processes[2 + i].WaitForHttpAsync(ports[i], "/readyz", StartTimeout);
        return new Pipeline(config, processes);
    }

    private static async Task SendAsync(PipelineTestConfig config, IEnumerable<string> recipients)
    {
        var list = recipients.ToList();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < list.Count; i = Interlocked.Increment(ref next))
                Assert.StartsWith("2.0.0", await SmtpSubmission.SendAsync(config.SmtpPort, SmtpSubmission.NewMessage($"traffic {i}", list[i])));
        })));
    }

    private static JsonObject Domain(PipelineTestConfig config, string domain) => (JsonObject)config.Root["Domains"]![domain]!;

    [Fact]
    public async Task Two_dispatchers_together_keep_one_connection_limit_and_one_message_rate()
    {
        await using var receiver = new CountingSmtpReceiver();
        using var config = new PipelineTestConfig(receiver.Port);
        var domain = Domain(config, "example.test");
        domain["MaxSmtpOut"] = 2;
        domain["MaxMsgRate"] = "10/s";
        domain["MaxMsgPerConnection"] = 5;
        await using var pipeline = await StartAsync(config, dispatchers: 2);

        const int count = 40;
        await SendAsync(config, Enumerable.Range(0, count).Select(i => $"user{i}@example.test"));
        await TestEnvironment.WaitUntilAsync(() => Task.FromResult(receiver.Arrivals.Count >= count), TimeSpan.FromSeconds(90),
            $"{count} messages at the receiver ({receiver.Arrivals.Count} so far)\n{string.Join('\n', pipeline.Dispatchers)}");

        Assert.InRange(receiver.MaxConcurrentConnections, 1, 2);
        // GCRA at 10/s grants one message every 100 ms across both workers. Arrival times carry each transaction's own
        // latency on top, which can bunch two or three neighbours, so the checks leave room for that and no more:
        // the whole run cannot be shorter than 39 intervals less that jitter, nor any 2 s hold much over 20.
        var arrivals = receiver.Arrivals.Select(a => a.At).Order().ToList();
        Assert.True(arrivals[^1] - arrivals[0] >= TimeSpan.FromSeconds(3.4), $"{count} messages in {(arrivals[^1] - arrivals[0]).TotalSeconds:0.00} s at 10/s");
        Assert.InRange(receiver.MostWithin(TimeSpan.FromSeconds(2)), 1, 23);
        // Both workers delivered: the limits held across processes, not inside one.
        Assert.All(pipeline.Dispatchers, d => Assert.Contains("Delivered 250", d.Output));
    }

    [Fact]
    public async Task A_source_ip_limit_holds_across_domains_and_mail_leaves_from_the_virtual_mtas_address()
    {
        await using var receiver = new CountingSmtpReceiver();
        using var config = new PipelineTestConfig(receiver.Port);
        var vmta = (JsonObject)config.Root["VirtualMtas"]![config.VirtualMta]!;
        vmta["SourceIp"] = "127.0.0.2";
        vmta["SourceIpMaxSmtpOut"] = 1;
        foreach (var name in new[] { "a.test", "b.test" })
            config.Root["Domains"]![name] = new JsonObject { ["Route"] = $"127.0.0.1:{receiver.Port}", ["MaxSmtpOut"] = 5, ["MaxMsgPerConnection"] = 2 };
        await using var pipeline = await StartAsync(config);

        const int count = 16;
        await SendAsync(config, Enumerable.Range(0, count).Select(i => $"user{i}@{(i % 2 == 0 ? "a" : "b")}.test"));
        await TestEnvironment.WaitUntilAsync(() => Task.FromResult(receiver.Arrivals.Count >= count), TimeSpan.FromSeconds(90),
            $"{count} messages at the receiver ({receiver.Arrivals.Count} so far)\n{pipeline.Dispatchers[0]}");

        Assert.Equal(1, receiver.MaxConcurrentConnections);
        Assert.All(receiver.Arrivals, a => Assert.Equal("127.0.0.2", a.Peer));
    }

    [Fact]
    public async Task Warm_up_caps_the_days_volume_and_keeps_the_rest_queued()
    {
        await using var receiver = new CountingSmtpReceiver();
        using var config = new PipelineTestConfig(receiver.Port);
        var vmta = (JsonObject)config.Root["VirtualMtas"]![config.VirtualMta]!;
        vmta["WarmUp"] = new JsonArray(5, 1000);
        vmta["WarmUpStart"] = DateTime.UtcNow.ToString("yyyy-MM-dd");
        await using var pipeline = await StartAsync(config);

        await SendAsync(config, Enumerable.Range(0, 8).Select(i => $"user{i}@example.test"));
        await TestEnvironment.WaitUntilAsync(() => Task.FromResult(receiver.Arrivals.Count >= 5), TimeSpan.FromSeconds(60), "the day's five");
        using var http = new HttpClient();
        await TestEnvironment.WaitUntilAsync(async () =>
        {
            var queues = await http.GetFromJsonAsync<JsonElement>($"http://127.0.0.1:{config.DispatcherHttpPort}/api/v1/queues");
            return queues.EnumerateArray().Any(q => q.GetProperty("domain").GetString() == "example.test" && q.GetProperty("deferred").GetInt64() == 3);
        }, TimeSpan.FromSeconds(30), $"three recipients waiting for tomorrow\n{pipeline.Dispatchers[0]}");
        Assert.Equal(5, receiver.Arrivals.Count);
    }

    [Fact]
    public async Task A_throttling_reply_puts_the_queue_into_backoff_until_BackoffToNormalAfter()
    {
        // The provider throttles the first attempt, then accepts.
        await using var receiver = new CountingSmtpReceiver(n => n == 1
            ? "421 4.7.28 [127.0.0.1] Our system has detected an unusual rate of unsolicited mail originating from your IP address."
            : null);
        using var config = new PipelineTestConfig(receiver.Port);
        var domain = Domain(config, "example.test");
        domain["RetryAfter"] = "1s";
        domain["BackoffRetryAfter"] = "2s";
        domain["BackoffToNormalAfter"] = "6s";
        await using var pipeline = await StartAsync(config);
        using var http = new HttpClient();
        async Task<JsonElement?> QueueAsync()
        {
            var queues = await http.GetFromJsonAsync<JsonElement>($"http://127.0.0.1:{config.DispatcherHttpPort}/api/v1/queues");
            return queues.EnumerateArray().Where(q => q.GetProperty("domain").GetString() == "example.test").Select(q => (JsonElement?)q).FirstOrDefault();
        }

        await SendAsync(config, ["user@example.test"]);
        JsonElement? queue = null;
        await TestEnvironment.WaitUntilAsync(async () => (queue = await QueueAsync()) is { } q && q.GetProperty("mode").GetString() == "backoff",
            TimeSpan.FromSeconds(30), $"backoff mode\n{pipeline.Dispatchers[0]}");
        Assert.Contains("4.7.28", queue!.Value.GetProperty("backoffReason").GetString());

        // Retried after BackoffRetryAfter and delivered; then, with no throttling reply for BackoffToNormalAfter, normal.
        await TestEnvironment.WaitUntilAsync(() => Task.FromResult(receiver.Arrivals.Count == 1), TimeSpan.FromSeconds(30), "the retry");
        await TestEnvironment.WaitUntilAsync(async () => (await QueueAsync()) is { } q && q.GetProperty("mode").GetString() == "normal",
            TimeSpan.FromSeconds(30), "normal mode again");
    }

    [Fact]
    public async Task With_verp_each_recipient_gets_its_own_return_path()
    {
        await using var receiver = new CountingSmtpReceiver();
        using var config = new PipelineTestConfig(receiver.Port);
        config.Root["Bounce"] = new JsonObject { ["ReturnPathDomain"] = "bounces.example.test", ["Verp"] = true };
        config.Root["Dkim"] = new JsonArray();
        var file = config.Write();
        await using var dispatcher = ServiceProcess.Start("Dispatcher", file);
        await dispatcher.WaitForHttpAsync(config.DispatcherHttpPort, "/readyz", StartTimeout);

        var messageId = Guid.NewGuid();
        await using (var publisher = await DispatchQueuePublisher.ConnectAsync(config.RabbitMqUri))
        {
            await publisher.SendAsync($"dispatch.{config.VirtualMta.ToLowerInvariant()}", new
            {
                messageId, acceptedAt = DateTimeOffset.UtcNow, mailFrom = "sender@example.test",
                recipients = new[] { "one@example.test", "two@example.test" }, virtualMta = config.VirtualMta,
                headerMessageId = "verp@e2e.test", signatures = Array.Empty<string>(),
                content = System.Text.Encoding.ASCII.GetBytes("From: <sender@example.test>\r\nSubject: verp\r\nMessage-ID: <verp@e2e.test>\r\n\r\nHello.\r\n"),
            });
        }
        await TestEnvironment.WaitUntilAsync(() => Task.FromResult(receiver.Arrivals.Count >= 2), TimeSpan.FromSeconds(30), $"both recipients\n{dispatcher}");

        // The documented format, checked independently: bounces+<message id, 32 hex>.<first 8 hex of SHA-256 of the
        // lower-cased recipient>@<ReturnPathDomain>.
        Assert.All(receiver.Arrivals, a =>
        {
            var tag = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(a.Recipient.ToLowerInvariant())))[..8];
            Assert.Equal($"bounces+{messageId:N}.{tag}@bounces.example.test", a.MailFrom);
        });
        Assert.Equal(["one@example.test", "two@example.test"], receiver.Arrivals.Select(a => a.Recipient).Order());
    }

    [Fact]
    public async Task A_backoff_signal_from_the_bounce_processor_puts_the_queue_into_backoff()
    {
        await using var receiver = new CountingSmtpReceiver();
        using var config = new PipelineTestConfig(receiver.Port);
        config.Root["Dkim"] = new JsonArray();
        var file = config.Write();
        await using var dispatcher = ServiceProcess.Start("Dispatcher", file);
        await dispatcher.WaitForHttpAsync(config.DispatcherHttpPort, "/readyz", StartTimeout);

        await using (var publisher = await DispatchQueuePublisher.ConnectAsync(config.RabbitMqUri))
        {
            await publisher.PublishAsync("pipeline.backoff", new
            {
                virtualMta = config.VirtualMta, domain = "example.test", smtpCode = 421, enhancedStatus = "4.7.0",
                diagnostic = "4.7.0 [TSS04] Messages temporarily deferred due to unexpected volume", category = "policy-related",
                rule = "yahoo-tss04-volume", occurredAt = DateTimeOffset.UtcNow,
            });
        }
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(TestEnvironment.Redis);
        var key = $"pipeline:traffic:{{{config.VirtualMta}:example.test}}:backoff";
        await TestEnvironment.WaitUntilAsync(async () => await redis.GetDatabase().KeyExistsAsync(key), TimeSpan.FromSeconds(30),
            $"the backoff flag {key}\n{dispatcher}");
        Assert.Contains("TSS04", (string?)await redis.GetDatabase().StringGetAsync(key));
        await redis.GetDatabase().KeyDeleteAsync(key);
    }
}
