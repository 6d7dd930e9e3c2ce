using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Pipeline.EndToEnd.Tests.Infrastructure;

/// <summary>An SMTP receiver scripted to refuse some recipients the way a real MX does: RCPT TO for a local part
/// starting with "unknown" gets <see cref="UnknownUserReply"/>; every other recipient and the message are accepted.
/// smtp-sink cannot refuse one recipient and accept another in the same session, hence this small receiver.</summary>
public sealed class RefusingReceiver : IAsyncDisposable
{
    public const string UnknownUserReply = "550 5.1.1 <{0}>: Recipient address rejected: User unknown in virtual mailbox table";

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _messages;

    public int Port { get; }
    public int MessagesAccepted => Volatile.Read(ref _messages);

    public RefusingReceiver()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = AcceptAsync();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.Latin1);
        await using var writer = new StreamWriter(stream, Encoding.Latin1) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("220 mx.example.test ESMTP test receiver");
        try
        {
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                var command = line.Length >= 4 ? line[..4].ToUpperInvariant() : line.ToUpperInvariant();
                switch (command)
                {
                    case "EHLO":
                        await writer.WriteLineAsync("250-mx.example.test\r\n250 8BITMIME");
                        break;
                    case "HELO":
                    case "MAIL":
                    case "RSET":
                    case "NOOP":
                        await writer.WriteLineAsync("250 2.0.0 Ok");
                        break;
                    case "RCPT":
                        var address = line[(line.IndexOf('<') + 1)..line.LastIndexOf('>')];
                        await writer.WriteLineAsync(address.StartsWith("unknown", StringComparison.OrdinalIgnoreCase)
                            ? string.Format(System.Globalization.CultureInfo.InvariantCulture, UnknownUserReply, address)
                            : "250 2.1.5 Ok");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                        while (await reader.ReadLineAsync(_stop.Token) is { } data && data != ".") { }
                        Interlocked.Increment(ref _messages);
                        await writer.WriteLineAsync("250 2.0.0 Ok: queued");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 2.0.0 Bye");
                        return;
                    default:
                        await writer.WriteLineAsync("502 5.5.2 Error: command not recognized");
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The client went away or the test ended.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }
}
