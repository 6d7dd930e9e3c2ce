using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Pipeline.EndToEnd.Tests.Infrastructure;

namespace Pipeline.EndToEnd.Tests;

/// <summary>The web monitor of a running pipeline (four processes, the real RabbitMQ and Redis) loaded in headless
/// Chromium twice while a load runs: queue rows of the fleet are there, the counters move between the two loads, and
/// what receivers said is shown as text.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class MonitorTests
{
    private const string RefusalScript = "<script>alert(1)</script>";

    [Fact]
    public async Task The_monitor_shows_the_fleets_queues_and_moving_counters_while_a_load_runs()
    {
        await using var accepting = new CountingSmtpReceiver();
        await using var deferring = new CountingSmtpReceiver(_ => "451 4.7.1 <b>greylisted</b>, try again later");
        await using var refusing = new CountingSmtpReceiver(_ => $"550 5.1.1 {RefusalScript} user unknown");
        using var config = new PipelineTestConfig(accepting.Port);
        config.Root["Monitor"]!["Refresh"] = "1s";
        config.Root["Dispatcher"]!["StatusInterval"] = "1s";
        // The suppression list and sent recipients under the status prefix, so the config's clean-up takes them too.
        config.Root["BounceProcessor"]!["RedisPrefix"] = config.StatusPrefix + "bp:";
        var domains = config.Root["Domains"]!.AsObject();
        // Slow enough that the load is still running when the page is loaded the second time.
        domains["example.test"]!["MaxMsgRate"] = "4/s";
        domains["example.test"]!["MaxSmtpOut"] = 2;
        domains["defer.test"] = new JsonObject { ["Route"] = $"127.0.0.1:{deferring.Port}", ["RetryAfter"] = "10m" };
        domains["gone.test"] = new JsonObject { ["Route"] = $"127.0.0.1:{refusing.Port}" };
        config.CreateKey();
        PipelineProcesses? pipeline = null;
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{config.IngestHttpPort}") };
        try
        {
            pipeline = await PipelineProcesses.StartAsync(config, config.Write());
            var recipients = Enumerable.Range(0, 3).Select(i => $"later{i}@defer.test")
                // Unique: a hard bounce suppresses the address (in the shared Redis) for every later run.
                .Concat(Enumerable.Range(0, 2).Select(i => $"gone{i}-{Guid.NewGuid():N}@gone.test"))
                .Concat(Enumerable.Range(0, 80).Select(i => $"user{i}@example.test")).ToList();
            var load = SendAsync(config.SmtpPort, recipients);

            await TestEnvironment.WaitUntilAsync(async () => accepting.Arrivals.Count >= 5 && await QueuesAsync(http) > 0,
                TimeSpan.FromSeconds(60), $"deliveries and a published queue snapshot\n{pipeline}");
            var first = await LoadMonitorAsync(config);
            Assert.Matches(QueueRow("defer.test"), first);
            var delivered = Counter(first, "d");
            var accepted = Counter(first, "accepted");
            Assert.True(accepted > 0, "no accepted messages counted\n" + first);

            // The second load comes once the BounceProcessor has accounted more deliveries than the first load showed,
            // and both refusals of gone.test.
            await TestEnvironment.WaitUntilAsync(async () => await TotalAsync(http, "d") > delivered + 5 && await TotalAsync(http, "b") >= 2,
                TimeSpan.FromSeconds(60), $"more deliveries counted than {delivered}, and two bounces\n{pipeline}");
            var second = await LoadMonitorAsync(config);

            Assert.True(Counter(second, "d") > delivered, $"delivered did not move past {delivered}\n{second}");
            Assert.True(Counter(second, "accepted") >= accepted);
            Assert.Matches(QueueRow("defer.test"), second);
            Assert.Contains("greylisted", second);
            Assert.Contains(config.VirtualMta, second);
            // The receiver's refusal is shown as text (a bounce with its category), never run as markup.
            Assert.Contains("g***@gone.test", second);
            Assert.Contains("bad-mailbox", second);
            Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; user unknown", second);
            Assert.DoesNotContain(RefusalScript, second);
            Assert.DoesNotContain("<b>greylisted</b>", second);

            await load;
        }
        finally
        {
            // Stopped before the config's clean-up of the Redis keys: a running service would write again behind it.
            if (pipeline is not null) await pipeline.DisposeAsync();
        }
    }

    private static async Task<string> LoadMonitorAsync(PipelineTestConfig config) =>
        await HeadlessChromium.DumpDomAsync($"http://127.0.0.1:{config.IngestHttpPort}/monitor", TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(90));

    private static async Task SendAsync(int port, IReadOnlyList<string> recipients)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < recipients.Count; i = Interlocked.Increment(ref next))
                Assert.StartsWith("2.0.0", await SmtpSubmission.SendAsync(port, SmtpSubmission.NewMessage($"monitor {i}", recipients[i])));
        })));
    }

    private static async Task<int> QueuesAsync(HttpClient http) =>
        (await http.GetFromJsonAsync<JsonElement>("/monitor/data.json")).GetProperty("queues").GetArrayLength();

    private static async Task<long> TotalAsync(HttpClient http, string counter) =>
        (await http.GetFromJsonAsync<JsonElement>("/monitor/data.json")).GetProperty("totals").EnumerateArray()
            .Single(t => t.GetProperty("counter").GetString() == counter).GetProperty("total").GetInt64();

    /// <summary>A counter as the page shows it ("1,234").</summary>
    private static long Counter(string dom, string counter)
    {
        var match = Regex.Match(dom, $"data-counter=\"{Regex.Escape(counter)}\">([0-9,]+)<");
        Assert.True(match.Success, $"counter {counter} not on the page\n{dom}");
        return long.Parse(match.Groups[1].Value.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A queue row of the fleet table for <paramref name="domain"/>: VirtualMTA, domain, group, worker.</summary>
    private static Regex QueueRow(string domain) => new($"<tr class=\"queue[^\"]*\"><td>[^<]+</td><td>{Regex.Escape(domain)}</td><td>[^<]*</td><td>[^<]+</td>");
}
