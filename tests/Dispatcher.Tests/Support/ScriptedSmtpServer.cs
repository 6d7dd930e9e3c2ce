using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Pipeline.Dispatcher.Tests.Support;

/// <summary>What a <see cref="ScriptedSmtpServer"/> answers. Each reply is one or more complete reply lines.</summary>
public sealed class SmtpScript
{
    public string Greeting { get; init; } = "220 mx.scripted.test ESMTP";
    public IReadOnlyList<string> EhloReply { get; init; } = ["250-mx.scripted.test", "250-SIZE 10485760", "250 ENHANCEDSTATUSCODES"];
    public string MailReply { get; init; } = "250 2.1.0 Ok";
    /// <summary>Replies to RCPT by recipient address (case-insensitive); others get <see cref="DefaultRcptReply"/>.</summary>
    public IReadOnlyDictionary<string, string> RcptReplies { get; init; } = new Dictionary<string, string>();
    public string DefaultRcptReply { get; init; } = "250 2.1.5 Ok";
    /// <summary>The reply to the DATA command; anything but 354 ends the transaction there.</summary>
    public string DataReply { get; init; } = "354 End data with <CR><LF>.<CR><LF>";
    /// <summary>The reply after the terminating dot.</summary>
    public string DataEndReply { get; init; } = "250 2.0.0 Ok: queued as SCRIPTED1";
    /// <summary>When set, STARTTLS upgrades the session with this certificate (list STARTTLS in the EHLO reply too).</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate { get; init; }
}

/// <summary>What one connection to a <see cref="ScriptedSmtpServer"/> carried.</summary>
public sealed class SmtpSession(IPEndPoint remote)
{
    private readonly Lock _lock = new();
    private readonly List<string> _commands = [];
    private readonly List<string> _recipients = [];
    private string? _ehloName;
    private string? _mailFrom;
    private byte[]? _data;
    private string? _tls;

    /// <summary>The client's address and port as the server saw them.</summary>
    public IPEndPoint Remote { get; } = remote;
    public string? EhloName { get { lock (_lock) return _ehloName; } }
    public string? MailFrom { get { lock (_lock) return _mailFrom; } }
    /// <summary>Every RCPT address the client gave, refused ones included.</summary>
    public IReadOnlyList<string> Recipients { get { lock (_lock) return [.. _recipients]; } }
    public IReadOnlyList<string> Commands { get { lock (_lock) return [.. _commands]; } }
    /// <summary>The message as received after DATA, with dot-stuffing undone; null when no data was taken.</summary>
    public byte[]? Data { get { lock (_lock) return _data; } }
    /// <summary>The TLS protocol after STARTTLS, or null while in clear.</summary>
    public string? Tls { get { lock (_lock) return _tls; } }

    internal void Command(string line) { lock (_lock) _commands.Add(line); }
    internal void Ehlo(string name) { lock (_lock) _ehloName = name; }
    internal void Mail(string from) { lock (_lock) _mailFrom = from; }
    internal void Rcpt(string to) { lock (_lock) _recipients.Add(to); }
    internal void Received(byte[] data) { lock (_lock) _data = data; }
    internal void Secured(string protocol) { lock (_lock) _tls = protocol; }
    internal void Reset() { lock (_lock) { _mailFrom = null; _recipients.Clear(); } }
}

/// <summary>A small SMTP receiver on 127.0.0.1:&lt;free port&gt; that follows a <see cref="SmtpScript"/> and records
/// each session, for tests that need exact replies. Everything a session records is recorded before the reply to
/// that command is written, so a client that has the reply can read the record.</summary>
public sealed class ScriptedSmtpServer : IAsyncDisposable
{
    private readonly SmtpScript _script;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<SmtpSession> _sessions = new();
    private readonly ConcurrentBag<Task> _handlers = [];
    private readonly Task _acceptLoop;

    public ScriptedSmtpServer(SmtpScript? script = null)
    {
        _script = script ?? new SmtpScript();
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>host:port for a domain's Route.</summary>
    public string Route => $"127.0.0.1:{Port}";

    public IReadOnlyList<SmtpSession> Sessions => [.. _sessions];

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            var session = new SmtpSession((IPEndPoint)client.Client.RemoteEndPoint!);
            _sessions.Enqueue(session);
            _handlers.Add(ServeAsync(client, session));
        }
    }

    private async Task ServeAsync(TcpClient client, SmtpSession session)
    {
        using var _ = client;
        try
        {
            Stream stream = client.GetStream();
            var reader = new LineReader(stream);
            await WriteAsync(stream, _script.Greeting);
            if (!_script.Greeting.StartsWith("220", StringComparison.Ordinal)) return;
            while (await reader.ReadLineAsync(_stop.Token) is { } raw)
            {
                var line = Encoding.UTF8.GetString(raw);
                session.Command(line);
                var space = line.IndexOf(' ');
                var verb = (space < 0 ? line : line[..space]).ToUpperInvariant();
                var argument = space < 0 ? "" : line[(space + 1)..].Trim();
                switch (verb)
                {
                    case "EHLO":
                        session.Ehlo(argument);
                        await WriteAsync(stream, _script.EhloReply);
                        break;
                    case "HELO":
                        session.Ehlo(argument);
                        await WriteAsync(stream, "250 mx.scripted.test");
                        break;
                    case "MAIL":
                        session.Mail(AddressIn(argument));
                        await WriteAsync(stream, _script.MailReply);
                        break;
                    case "RCPT":
                        var recipient = AddressIn(argument);
                        session.Rcpt(recipient);
                        var reply = _script.RcptReplies.FirstOrDefault(r => string.Equals(r.Key, recipient, StringComparison.OrdinalIgnoreCase)).Value;
                        await WriteAsync(stream, reply ?? _script.DefaultRcptReply);
                        break;
                    case "DATA":
                        await WriteAsync(stream, _script.DataReply);
                        if (!_script.DataReply.StartsWith("354", StringComparison.Ordinal)) break;
                        session.Received(await ReadDataAsync(reader));
                        await WriteAsync(stream, _script.DataEndReply);
                        break;
                    case "STARTTLS" when _script.Certificate is not null:
                        await WriteAsync(stream, "220 2.0.0 Ready to start TLS");
                        var tls = new System.Net.Security.SslStream(stream);
                        await tls.AuthenticateAsServerAsync(_script.Certificate);
                        stream = tls;
                        reader = new LineReader(stream);
                        session.Secured(tls.SslProtocol.ToString());
                        break;
                    case "RSET":
                        session.Reset();
                        await WriteAsync(stream, "250 2.0.0 Ok");
                        break;
                    case "NOOP":
                        await WriteAsync(stream, "250 2.0.0 Ok");
                        break;
                    case "QUIT":
                        await WriteAsync(stream, "221 2.0.0 Bye");
                        return;
                    default:
                        await WriteAsync(stream, "502 5.5.2 Command not recognized");
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away or the server is stopping.
        }
    }

    /// <summary>Lines up to the lone dot, each with its CRLF, a leading dot removed (RFC 5321 4.5.2).</summary>
    private async Task<byte[]> ReadDataAsync(LineReader reader)
    {
        var data = new MemoryStream();
        while (await reader.ReadLineAsync(_stop.Token) is { } line)
        {
            if (line is [(byte)'.']) return data.ToArray();
            data.Write(line is [(byte)'.', ..] ? line.AsSpan(1) : line);
            data.Write("\r\n"u8);
        }
        throw new IOException("connection closed inside DATA");
    }

    private static string AddressIn(string argument)
    {
        int open = argument.IndexOf('<'), close = argument.IndexOf('>');
        return open >= 0 && close > open ? argument[(open + 1)..close] : argument;
    }

    private Task WriteAsync(Stream stream, string reply) => WriteAsync(stream, [reply]);

    private async Task WriteAsync(Stream stream, IReadOnlyList<string> lines) =>
        await stream.WriteAsync(Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\r\n"))), _stop.Token);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        await Task.WhenAll(_handlers);
        _stop.Dispose();
    }

    /// <summary>Reads CRLF-terminated lines as bytes (a bare LF also ends a line); null at end of stream.</summary>
    private sealed class LineReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[8192];
        private int _start;
        private int _end;

        public async Task<byte[]?> ReadLineAsync(CancellationToken cancellationToken)
        {
            var line = new MemoryStream();
            while (true)
            {
                if (_start == _end)
                {
                    _start = 0;
                    _end = await stream.ReadAsync(_buffer, cancellationToken);
                    if (_end == 0) return null;
                }
                int lf = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                if (lf < 0)
                {
                    line.Write(_buffer, _start, _end - _start);
                    _start = _end;
                    continue;
                }
                line.Write(_buffer, _start, lf - _start);
                _start = lf + 1;
                var bytes = line.ToArray();
                return bytes is [.., (byte)'\r'] ? bytes[..^1] : bytes;
            }
        }
    }
}
