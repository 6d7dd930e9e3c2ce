using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Pipeline.Ingest.Tests.Support;

namespace Pipeline.Ingest.Tests.Broker;

/// <summary>The promise behind every 250 and 202: SMTP and HTTP clients send without pause while the broker (a
/// private node) is killed under them (SIGKILL). Afterwards, with the broker back, its queue must hold every message
/// that got 250/202, and none that got 4xx/5xx, except those whose publish was in flight at the instant of the kill
/// (stored, but the confirm died with the connection: the sender retries them, a duplicate, never a loss); there
/// can be at most one of those per client.</summary>
public sealed partial class BrokerOutageTests : IAsyncLifetime
{
    private const string Queue = "outage-test.accepted";
    private PrivateRabbitMq _broker = null!;
    private IngestHost _host = null!;
    private readonly ConcurrentDictionary<string, Outcome> _outcomes = new(); // subject token -> reply
    private const int SmtpClients = 6;
    private const int HttpClients = 2;

    /// <summary>A message's reply code and when (Stopwatch ticks) it was sent and answered.</summary>
    private sealed record Outcome(int Code, long Sent, long Answered);
    private int _next;

    public async Task InitializeAsync()
    {
        _broker = await PrivateRabbitMq.StartAsync();
        await using (var connection = await _broker.ConnectAsync())
        await using (var channel = await connection.CreateChannelAsync())
            await AcceptedQueue.DeclareAsync(channel, Queue);
        var options = IngestHost.Options("127.0.0.0/8");
        // Long enough that a slow confirm on a busy machine is not mistaken for a failure; short enough that the
        // outage produces refusals quickly.
        options.Ingest.Smtp.PublishTimeout = "8s";
        _host = await IngestHost.StartAsync(options, _broker.Uri);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _broker.DisposeAsync();
    }

    [Fact]
    public async Task Every_message_answered_250_or_202_is_in_rabbitmq_and_no_refused_one_except_those_in_flight_at_the_crash()
    {
        using var stop = new CancellationTokenSource();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        // Wait until the bus is connected: the first message through.
        await WaitUntilAsync(async () => await SendSmtpAsync("probe", timeout.Token) == 250, timeout.Token);
        _outcomes.Clear();

        var senders = Enumerable.Range(0, SmtpClients).Select(_ => SmtpSenderAsync(stop.Token, timeout.Token))
            .Concat(Enumerable.Range(0, HttpClients).Select(_ => HttpSenderAsync(stop.Token, timeout.Token))).ToArray();
        await WaitUntilAsync(() => Task.FromResult(_outcomes.Values.Count(o => o.Code is 250 or 202) >= 100), timeout.Token);
        long killStarted = Stopwatch.GetTimestamp();
        await _broker.KillAsync();
        long killed = Stopwatch.GetTimestamp();
        // Keep sending into the outage until clients have clearly been refused.
        await WaitUntilAsync(() => Task.FromResult(_outcomes.Values.Count(o => o.Code >= 400) >= 20), timeout.Token);
        await stop.CancelAsync();
        await Task.WhenAll(senders);

        await _broker.RestartAsync();
        List<JsonElement> stored;
        await using (var connection = await _broker.ConnectAsync())
        await using (var channel = await connection.CreateChannelAsync())
            stored = await AcceptedQueue.DrainAsync(channel, Queue);
        var inBroker = stored.Select(s => SubjectToken().Match(AcceptedQueue.Content(s)).Groups[1].Value).ToHashSet();

        var accepted = _outcomes.Where(o => o.Value.Code is 250 or 202).Select(o => o.Key).ToList();
        var refused = _outcomes.Where(o => o.Value.Code >= 400).Select(o => o.Key).ToList();
        Assert.True(accepted.Count >= 100 && refused.Count >= 20, $"{accepted.Count} accepted, {refused.Count} refused");
        var lost = accepted.Except(inBroker).ToList();
        Assert.True(lost.Count == 0, $"answered 250/202 but not in the broker: {string.Join(", ", lost)}");
        // In doubt: sent before the broker was dead and answered after it began to die.
        var inDoubt = _outcomes.Where(o => o.Value.Sent < killed && o.Value.Answered > killStarted).Select(o => o.Key).ToHashSet();
        var refusedButStored = refused.Intersect(inBroker).ToList();
        Assert.True(refusedButStored.All(inDoubt.Contains), $"answered 4xx/5xx but in the broker, and not in flight at the kill: {string.Join(", ", refusedButStored.Where(t => !inDoubt.Contains(t)))}");
        Assert.True(refusedButStored.Count <= SmtpClients + HttpClients, $"{refusedButStored.Count} refused messages in the broker");
        Assert.All(_outcomes.Values, o => Assert.Contains(o.Code, new[] { 250, 202, 451, 503 }));
    }

    private async Task SmtpSenderAsync(CancellationToken stop, CancellationToken timeout)
    {
        while (!stop.IsCancellationRequested)
        {
            var token = $"t{Interlocked.Increment(ref _next)}";
            long sent = Stopwatch.GetTimestamp();
            int code = await SendSmtpAsync(token, timeout);
            _outcomes[token] = new Outcome(code, sent, Stopwatch.GetTimestamp());
        }
    }

    /// <summary>One message in a session of its own; the reply code to its data (0 when the connection failed
    /// before an answer, which cannot happen here: Ingest stays up while the broker is away).</summary>
    private async Task<int> SendSmtpAsync(string token, CancellationToken timeout)
    {
        var (client, _) = await _host.ConnectAsync(timeout);
        await using var _ = client;
        await client.SendRawAsync("EHLO outage.example.com\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.net>\r\nDATA\r\n");
        for (int i = 0; i < 4; i++) await client.ReadReplyAsync();
        var reply = await client.CommandAsync($"Subject: {token}\r\n\r\nbody\r\n.");
        await client.SendLineAsync("QUIT");
        return reply.Code;
    }

    private async Task HttpSenderAsync(CancellationToken stop, CancellationToken timeout)
    {
        using var http = new HttpClient { BaseAddress = _host.HttpBase };
        http.DefaultRequestHeaders.Add("X-Api-Key", IngestHost.ApiKey);
        while (!stop.IsCancellationRequested)
        {
            var token = $"t{Interlocked.Increment(ref _next)}";
            long sent = Stopwatch.GetTimestamp();
            var response = await http.PostAsJsonAsync("/api/v1/messages",
                new { from = "a@example.com", to = new[] { "b@example.net" }, subject = token, text = "body" }, timeout);
            _outcomes[token] = new Outcome((int)response.StatusCode, sent, Stopwatch.GetTimestamp());
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, CancellationToken timeout)
    {
        while (!await condition()) await Task.Delay(50, timeout);
    }

    [GeneratedRegex(@"Subject: (\S+)\r\n")]
    private static partial Regex SubjectToken();
}
