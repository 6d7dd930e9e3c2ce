using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Pipeline.EndToEnd.Tests.Infrastructure;

/// <summary>A receiving MTA on a loopback port that measures what traffic control promises: how many connections
/// were open at once, when each message arrived, from which source address. RCPT replies can be scripted (e.g. a
/// provider's throttling reply for the first ones). Our own, because smtp-sink cannot report concurrency.</summary>
public sealed class CountingSmtpReceiver : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly ConcurrentBag<Task> _sessions = [];
    private readonly Func<int, string?> _rcptReply;
    private int _open;
    private int _maxOpen;
    private int _rcpts;

    public record Arrival(DateTimeOffset At, string Peer, string MessageId, string MailFrom, string Recipient);

    public ConcurrentQueue<Arrival> Arrivals { get; } = new();
    public int MaxConcurrentConnections => Volatile.Read(ref _maxOpen);
    public int Port { get; }

    /// <param name="rcptReply">Given the number of the RCPT (1, 2, ...), the reply to send instead of 250; null for 250.</param>
    public CountingSmtpReceiver(Func<int, string?>? rcptReply = null)
    {
        _rcptReply = rcptReply ?? (_ => null);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { return; }
            _sessions.Add(ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        // Interlocked: sessions run concurrently; the maximum is what the test reads.
        var open = Interlocked.Increment(ref _open);
        for (int max = Volatile.Read(ref _maxOpen); open > max; max = Volatile.Read(ref _maxOpen))
            if (Interlocked.CompareExchange(ref _maxOpen, open, max) == max) break;
        var peer = ((IPEndPoint)client.Client.RemoteEndPoint!).Address.ToString();
        try
        {
            using var _ = client;
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.Latin1);
            async Task Reply(string line) => await stream.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"), _stop.Token);
            await Reply("220 counting.receiver.test ESMTP");
            bool accepted = false;
            string mailFrom = "", recipient = "";
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO": await Reply("250-counting.receiver.test\r\n250-PIPELINING\r\n250 8BITMIME"); break;
                    case "MAIL": accepted = false; mailFrom = Between(line, '<', '>'); await Reply("250 2.1.0 Ok"); break;
                    case "RCPT":
                        var reply = _rcptReply(Interlocked.Increment(ref _rcpts));
                        accepted |= reply is null;
                        if (reply is null) recipient = Between(line, '<', '>');
                        await Reply(reply ?? "250 2.1.5 Ok");
                        break;
                    case "DATA":
                        if (!accepted) { await Reply("554 5.5.1 No valid recipients"); break; }
                        await Reply("354 Go ahead");
                        string? messageId = null;
                        while (await reader.ReadLineAsync(_stop.Token) is { } data && data != ".")
                        {
                            if (messageId is null && data.StartsWith("Message-ID:", StringComparison.OrdinalIgnoreCase))
                                messageId = data["Message-ID:".Length..].Trim().Trim('<', '>');
                        }
                        Arrivals.Enqueue(new Arrival(DateTimeOffset.UtcNow, peer, messageId ?? "", mailFrom, recipient));
                        await Reply("250 2.0.0 Ok");
                        break;
                    case "RSET": case "NOOP": await Reply("250 2.0.0 Ok"); break;
                    case "QUIT": await Reply("221 2.0.0 Bye"); return;
                    default: await Reply("502 5.5.2 Command not recognized"); break;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException) { }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }

    private static string Between(string line, char open, char close)
    {
        int start = line.IndexOf(open), end = line.IndexOf(close, start + 1);
        return start >= 0 && end > start ? line[(start + 1)..end] : "";
    }

    /// <summary>The most messages that arrived within any window of <paramref name="window"/>.</summary>
    public int MostWithin(TimeSpan window)
    {
        var times = Arrivals.Select(a => a.At).Order().ToList();
        int most = 0;
        for (int start = 0, end = 0; end < times.Count; end++)
        {
            while (times[end] - times[start] >= window) start++;
            most = Math.Max(most, end - start + 1);
        }
        return most;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        await Task.WhenAll(_sessions);
        _stop.Dispose();
    }
}
