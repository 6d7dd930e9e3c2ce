using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Pipeline.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Pipeline.EndToEnd.Tests;

/// <summary>kill -9 of the Dispatcher under load, then a restart on the same spool: every message the broker confirmed
/// into the VirtualMTA's dispatch queue reaches the receiver, and only a message whose SMTP transaction was under way when the
/// process died may arrive twice.</summary>
[Collection(EndToEndCollection.Name)]
public sealed partial class DispatcherCrashTests(ITestOutputHelper output)
{
    private const int Messages = 300;
    private const int Senders = 4;
    /// <summary>At most MaxSmtpOut (20 by default) transactions can be under way, and so cut, at the kill.</summary>
    private const int MaxInFlight = 32;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    [GeneratedRegex(@"^Message-ID:\s*<([^>]+)>", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex MessageIdHeader();

    [Fact]
    public async Task Killing_the_dispatcher_under_load_loses_no_acknowledged_message()
    {
        await using var sink = await SmtpSink.StartAsync();
        using var config = new PipelineTestConfig(sink.Port);
        var configFile = config.Write();
        var queue = $"dispatch.{config.VirtualMta.ToLowerInvariant()}";
        var dispatcher = ServiceProcess.Start("Dispatcher", configFile);
        try
        {
            // Ready once its bus is up, which declares its dispatch queue.
            await dispatcher.WaitForHttpAsync(config.DispatcherHttpPort, "/readyz", StartTimeout);

            // Several senders publish the messages; each one the broker confirmed is the broker's.
            var accepted = new ConcurrentBag<string>();
            var next = -1;
            var sending = Task.WhenAll(Enumerable.Range(0, Senders).Select(_ => Task.Run(async () =>
            {
                await using var publisher = await DispatchQueuePublisher.ConnectAsync(config.RabbitMqUri);
                for (var i = Interlocked.Increment(ref next); i < Messages; i = Interlocked.Increment(ref next))
                {
                    var id = $"crash-{i}-{Guid.NewGuid():N}@e2e.test";
                    await publisher.SendAsync(queue, DispatchQueuePublisher.SignedMessage(config.VirtualMta, id, "user@example.test"));
                    accepted.Add(id);
                    // Spread the load so that the kill finds messages at the receiver, in the spool and in the broker.
                    if (i % 20 == 0) await Task.Delay(50);
                }
            })));

            await TestEnvironment.WaitUntilAsync(() => Task.FromResult(sink.Dumps().Count >= Messages / 6 || sending.IsCompleted),
                TimeSpan.FromSeconds(120), $"the first deliveries\n{dispatcher}");
            await dispatcher.KillAsync();
            var deliveredBeforeKill = ReceivedIds(sink).Count;
            await sending;
            Assert.Equal(Messages, accepted.Count);

            dispatcher = ServiceProcess.Start("Dispatcher", configFile);
            await dispatcher.WaitForHttpAsync(config.DispatcherHttpPort, "/readyz", StartTimeout);
            await TestEnvironment.WaitUntilAsync(() => Task.FromResult(ReceivedIds(sink).Distinct().Count() >= Messages),
                TimeSpan.FromSeconds(180), $"every message at the receiver ({ReceivedIds(sink).Distinct().Count()} so far)\n{dispatcher}");

            var received = ReceivedIds(sink);
            Assert.True(accepted.ToHashSet().SetEquals(received.ToHashSet()), $"the receiver has other messages than those accepted: only accepted {string.Join(",", accepted.Except(received).Take(5))}; only received {string.Join(",", received.Except(accepted).Take(5))}");
            var duplicates = received.Count - received.Distinct().Count();
            output.WriteLine($"accepted {accepted.Count}, at the receiver before the kill {deliveredBeforeKill}, after the restart {received.Count} ({duplicates} twice)");
            Assert.True(duplicates <= MaxInFlight, $"{duplicates} messages arrived twice; at most {MaxInFlight} transactions were under way at the kill");
            Assert.True(deliveredBeforeKill < Messages, "the kill came after everything was delivered: the test proved nothing");

            // Nothing is left queued once all is delivered (the last outcomes are recorded just after their 250).
            using var http = new HttpClient();
            JsonElement status = default;
            await TestEnvironment.WaitUntilAsync(async () =>
            {
                var all = await http.GetFromJsonAsync<JsonElement>($"http://127.0.0.1:{config.DispatcherHttpPort}/status/queues");
                status = Assert.Single(all.EnumerateArray());
                return status.GetProperty("recipients").GetInt64() == 0;
            }, TimeSpan.FromSeconds(30), $"an empty spool\n{dispatcher}");
            Assert.Equal(config.VirtualMta, status.GetProperty("virtualMta").GetString());
            Assert.Equal(0, status.GetProperty("messages").GetInt32());
        }
        finally
        {
            await dispatcher.DisposeAsync();
        }
    }

    private static List<string> ReceivedIds(SmtpSink sink) =>
        sink.Dumps().Select(d => MessageIdHeader().Match(d)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();
}
