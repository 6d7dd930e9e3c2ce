using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Pipeline.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Pipeline.EndToEnd.Tests;

/// <summary>kill -9 of the Dispatcher under load, then a restart on the same spool: every message Ingest accepted
/// (so the broker has it) reaches the receiver, and only a message whose SMTP transaction was under way when the
/// process died may arrive twice.</summary>
[Collection(EndToEndCollection.Name)]
public sealed partial class DispatcherCrashTests(ITestOutputHelper output)
{
    private const int Messages = 300;
    private const int Senders = 4;
    /// <summary>SpoolScheduler.MaxConcurrentDeliveries: at most this many transactions can be cut by the kill.</summary>
    private const int MaxInFlight = 32;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    [GeneratedRegex(@"^Message-ID:\s*<([^>]+)>", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex MessageIdHeader();

    [Fact]
    public async Task Killing_the_dispatcher_under_load_loses_no_acknowledged_message()
    {
        await using var sink = await SmtpSink.StartAsync();
        using var config = new PipelineTestConfig(sink.Port);
        config.CreateKey();
        var configFile = config.Write();
        await using var ingest = ServiceProcess.Start("Ingest", configFile);
        await using var signer = ServiceProcess.Start("Signer", configFile);
        var dispatcher = ServiceProcess.Start("Dispatcher", configFile);
        try
        {
            await Task.WhenAll(
                ingest.WaitForHttpAsync(config.IngestHttpPort, "/readyz", StartTimeout),
                signer.WaitForHttpAsync(config.SignerHttpPort, "/readyz", StartTimeout),
                dispatcher.WaitForHttpAsync(config.DispatcherHttpPort, "/readyz", StartTimeout));

            // Several senders submit the messages; each one Ingest answered 250 for is in the broker.
            var accepted = new ConcurrentBag<string>();
            var next = -1;
            var sending = Task.WhenAll(Enumerable.Range(0, Senders).Select(_ => Task.Run(async () =>
            {
                for (var i = Interlocked.Increment(ref next); i < Messages; i = Interlocked.Increment(ref next))
                {
                    var message = SmtpSubmission.NewMessage($"crash {i}");
                    var reply = await SmtpSubmission.SendAsync(config.SmtpPort, message);
                    Assert.StartsWith("2.0.0", reply);
                    accepted.Add(message.MessageId!);
                }
            })));

            // Kill it mid-load: some messages delivered, more in its spool and in the broker, transactions in flight.
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
            Assert.True(duplicates <= MaxInFlight, $"{duplicates} messages arrived twice; at most {MaxInFlight} transactions were under way at the kill");
            output.WriteLine($"accepted {accepted.Count}, at the receiver before the kill {deliveredBeforeKill}, after the restart {received.Count} ({duplicates} twice)");
            Assert.True(deliveredBeforeKill < Messages, "the kill came after everything was delivered: the test proved nothing");

            // Nothing is left queued once all is delivered (the last outcomes are recorded just after their 250).
            using var http = new HttpClient();
            JsonElement queue = default;
            await TestEnvironment.WaitUntilAsync(async () =>
            {
                var status = await http.GetFromJsonAsync<JsonElement>($"http://127.0.0.1:{config.DispatcherHttpPort}/status/queues");
                queue = Assert.Single(status.EnumerateArray());
                return queue.GetProperty("recipients").GetInt64() == 0;
            }, TimeSpan.FromSeconds(30), $"an empty spool\n{dispatcher}");
            Assert.Equal(config.VirtualMta, queue.GetProperty("virtualMta").GetString());
            Assert.Equal(0, queue.GetProperty("messages").GetInt32());
        }
        finally
        {
            await dispatcher.DisposeAsync();
        }
    }

    private static List<string> ReceivedIds(SmtpSink sink) =>
        sink.Dumps().Select(d => MessageIdHeader().Match(d)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();
}
