using System.Text.Json.Nodes;
using Pipeline.EndToEnd.Tests.Infrastructure;

namespace Pipeline.EndToEnd.Tests;

/// <summary>The management CLI against a running pipeline: the four services as processes over the real RabbitMQ and
/// Redis, a real SMTP receiver, and the built CLI run as an operator runs it.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class ManagementCliTests
{
    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(60);

    private static async Task SendAsync(PipelineTestConfig config, int count, string prefix, string? job = null)
    {
        for (int i = 0; i < count; i++)
        {
            var message = SmtpSubmission.NewMessage($"{prefix} {i}", $"{prefix}{i}@example.test");
            if (job is not null) message.Headers.Add("X-Job", job);
            Assert.StartsWith("2.0.0", await SmtpSubmission.SendAsync(config.SmtpPort, message));
        }
    }

    private static long Waiting(System.Text.Json.JsonElement? queue) =>
        queue is { } q ? q.GetProperty("queued").GetInt64() + q.GetProperty("deferred").GetInt64() + q.GetProperty("inFlight").GetInt64() : 0;

    [Fact]
    public async Task Pause_holds_a_queue_resume_delivers_it_delete_bounces_it_administratively_and_trace_follows_a_message()
    {
        await using var receiver = new CountingSmtpReceiver();
        using var config = new PipelineTestConfig(receiver.Port);
        config.CreateKey();
        await using var pipeline = await PipelineProcesses.StartAsync(config, config.Write());
        var cli = new CliProcess(config);
        var queue = $"{config.VirtualMta}/example.test";
        try
        {
            Assert.Contains("paused", (await cli.SucceedAsync("pause", "queue", queue)).Output);
            await SendAsync(config, 5, "held");
            await TestEnvironment.WaitUntilAsync(async () => Waiting(await cli.QueueAsync("example.test")) == 5, Delivery,
                $"five recipients queued\n{pipeline}");
            // Paused: the five stay queued while the receiver gets nothing. (Nothing was in flight at the pause.)
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.Empty(receiver.Arrivals);
            Assert.Equal(5, (await cli.QueueAsync("example.test"))!.Value.GetProperty("queued").GetInt64());
            var vmtas = await cli.SucceedAsync("show", "vmtas");
            Assert.Contains(config.VirtualMta, vmtas.Output);
            Assert.Contains("queues: example.test", vmtas.Output);
            Assert.Contains("example.test", (await cli.SucceedAsync("show", "topdomains", "--limit", "5")).Output);

            Assert.Contains("resumed", (await cli.SucceedAsync("resume", "queue", queue)).Output);
            await TestEnvironment.WaitUntilAsync(() => Task.FromResult(receiver.Arrivals.Count == 5), Delivery, $"the five after resume\n{pipeline}");

            // Paused again, four more wait; deleting them gives each one administrative b record and empties the queue.
            await cli.SucceedAsync("pause", "queue", queue);
            await SendAsync(config, 4, "doomed", job: "e2e-delete");
            await TestEnvironment.WaitUntilAsync(async () => Waiting(await cli.QueueAsync("example.test")) == 4, Delivery, $"four queued\n{pipeline}");
            Assert.Contains("deleted 4 recipients", (await cli.SucceedAsync("delete", "queue", queue)).Output);
            await TestEnvironment.WaitUntilAsync(() => Task.FromResult(config.AccountingLines().Count(l => l.StartsWith("b,", StringComparison.Ordinal)) >= 4),
                Delivery, $"four b records\n{pipeline}");
            Assert.Equal(0, Waiting(await cli.QueueAsync("example.test")));
            var bounces = config.AccountingLines().Where(l => l.StartsWith("b,", StringComparison.Ordinal)).ToList();
            Assert.Equal(4, bounces.Count);
            Assert.All(bounces, b => Assert.Contains(",5.0.0 (permanent failure),deleted by administrator,,admin,", b));
            Assert.Equal(5, config.AccountingLines().Count(l => l.StartsWith("d,", StringComparison.Ordinal)));
            Assert.Equal(5, receiver.Arrivals.Count);

            // Nothing more to delete: the server's problem, a non-zero exit.
            var again = await cli.RunAsync("delete", "queue", queue);
            Assert.Equal(1, again.ExitCode);
            Assert.Contains($"queue {config.VirtualMta}/example.test has no recipients waiting", again.Error);

            // Trace one deleted message by its Message-ID: its b line, and nothing left in the spool.
            var messageId = bounces[0].Split(',')[14];
            var trace = await cli.SucceedAsync("trace", messageId);
            Assert.Contains("deleted by administrator", trace.Output);
            Assert.Contains("no recipient of it is waiting", trace.Output);
        }
        finally
        {
            await cli.RunAsync("resume", "queue", queue);
        }
    }

    [Fact]
    public async Task Reload_applies_a_changed_MaxMsgRate_to_the_running_queue_and_refuses_a_bad_file()
    {
        await using var receiver = new CountingSmtpReceiver();
        using var config = new PipelineTestConfig(receiver.Port);
        config.CreateKey();
        var domain = (JsonObject)config.Root["Domains"]!["example.test"]!;
        domain["MaxMsgRate"] = "1/m";
        var file = config.Write();
        await using var pipeline = await PipelineProcesses.StartAsync(config, file);
        var cli = new CliProcess(config);

        // One message a minute: the first goes, the other two wait in the spool for the rate.
        await SendAsync(config, 3, "rated");
        await TestEnvironment.WaitUntilAsync(async () => receiver.Arrivals.Count == 1
                && (await cli.QueueAsync("example.test")) is { } q && q.GetProperty("deferred").GetInt64() == 2,
            Delivery, $"one delivered and two waiting for the rate\n{pipeline}");

        // A bad file is refused with the key named, and the running configuration stays.
        domain["MaxMsgRate"] = "fast";
        config.Write();
        var refused = await cli.RunAsync("reload");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("Domains:example.test:MaxMsgRate", refused.Error);
        Assert.Single(receiver.Arrivals);

        // Unlimited: the two waiting are looked at again at once, long before their minute is up.
        domain["MaxMsgRate"] = "unlimited";
        config.Write();
        Assert.Contains("applied: Domains", (await cli.SucceedAsync("reload")).Output);
        await TestEnvironment.WaitUntilAsync(() => Task.FromResult(receiver.Arrivals.Count == 3), TimeSpan.FromSeconds(30),
            $"the other two after the reload ({receiver.Arrivals.Count} so far)\n{pipeline}");
    }

    [Fact]
    public async Task A_paused_job_waits_while_other_mail_to_the_same_domain_goes_and_an_unknown_VirtualMta_is_named()
    {
        await using var receiver = new CountingSmtpReceiver();
        using var config = new PipelineTestConfig(receiver.Port);
        config.CreateKey();
        await using var pipeline = await PipelineProcesses.StartAsync(config, config.Write());
        var cli = new CliProcess(config);
        var job = "e2e-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            await cli.SucceedAsync("pause", "job", job);
            await SendAsync(config, 2, "jobbed", job);
            await SendAsync(config, 2, "free");
            await TestEnvironment.WaitUntilAsync(() => Task.FromResult(receiver.Arrivals.Count == 2), Delivery, $"the two without the job\n{pipeline}");
            Assert.All(receiver.Arrivals, a => Assert.StartsWith("free", a.Recipient));
            Assert.Contains(job, (await cli.SucceedAsync("show", "pauses")).Output);

            await cli.SucceedAsync("resume", "job", job);
            await TestEnvironment.WaitUntilAsync(() => Task.FromResult(receiver.Arrivals.Count == 4), Delivery, $"the job's two after resume\n{pipeline}");

            var unknown = await cli.RunAsync("pause", "vmta", "no-such-vmta");
            Assert.Equal(1, unknown.ExitCode);
            Assert.Contains("VirtualMTA 'no-such-vmta' is not configured", unknown.Error);
            var badDomain = await cli.RunAsync("pause", "queue", $"{config.VirtualMta}/not a domain");
            Assert.Equal(1, badDomain.ExitCode);
            Assert.Contains("400 Bad domain: 'not a domain' is not a domain name", badDomain.Error);
            var notAQueue = await cli.RunAsync("retry", "queue", "example.test");
            Assert.Equal(64, notAQueue.ExitCode);
            Assert.Contains("write it as <vmta>/<domain>", notAQueue.Error);
        }
        finally
        {
            await cli.RunAsync("resume", "job", job);
        }
    }
}
