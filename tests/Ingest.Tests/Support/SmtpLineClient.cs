using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Pipeline.Ingest.Tests.Support;

/// <summary>One SMTP reply: the code and the text of every line (without the code and separator).</summary>
public sealed record SmtpReply(int Code, IReadOnlyList<string> Lines)
{
    public string Text => string.Join("\n", Lines);

    public override string ToString() => string.Join("\n", Lines.Select(l => $"{Code} {l}"));
}

/// <summary>A raw, line-based SMTP client for transcript tests: writes exactly the bytes a test gives it and reads
/// replies (multi-line included) without interpreting them.</summary>
public sealed class SmtpLineClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly CancellationToken _cancellation;
    private readonly byte[] _buffer = new byte[4096];
    private int _start;
    private int _end;

    private SmtpLineClient(TcpClient tcp, CancellationToken cancellation)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _cancellation = cancellation;
    }

    /// <summary>Connects, retrying while the listener is still starting, until <paramref name="cancellation"/> ends.</summary>
    public static async Task<SmtpLineClient> ConnectAsync(IPEndPoint endPoint, CancellationToken cancellation)
    {
        while (true)
        {
            var tcp = new TcpClient(AddressFamily.InterNetwork);
            try
            {
                await tcp.ConnectAsync(endPoint, cancellation);
                return new SmtpLineClient(tcp, cancellation);
            }
            catch (SocketException) when (!cancellation.IsCancellationRequested)
            {
                tcp.Dispose();
                await Task.Delay(50, cancellation);
            }
        }
    }

    public async Task SendLineAsync(string line) => await SendRawAsync(line + "\r\n");

    public async Task SendRawAsync(string text) => await _stream.WriteAsync(Encoding.UTF8.GetBytes(text), _cancellation);

    public async Task SendRawBytesAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes, _cancellation);
        await _stream.FlushAsync(_cancellation);
    }

    /// <summary>The next reply, or null when the server closed the connection instead.</summary>
    public async Task<SmtpReply?> TryReadReplyAsync()
    {
        try
        {
            return await ReadReplyAsync();
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The next reply, giving up when <paramref name="cancellation"/> ends.</summary>
    public async Task<SmtpReply> ReadReplyAsync(CancellationToken cancellation)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(_cancellation, cancellation);
        return await ReadReplyCoreAsync(linked.Token);
    }

    public async Task<SmtpReply> CommandAsync(string line)
    {
        await SendLineAsync(line);
        return await ReadReplyAsync();
    }

    public Task<SmtpReply> ReadReplyAsync() => ReadReplyCoreAsync(_cancellation);

    private async Task<SmtpReply> ReadReplyCoreAsync(CancellationToken cancellation)
    {
        var lines = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync(cancellation) ?? throw new IOException($"connection closed after {lines.Count} reply line(s)");
            if (line.Length < 3 || !int.TryParse(line.AsSpan(0, 3), out var code))
                throw new InvalidDataException($"not an SMTP reply line: '{line}'");
            lines.Add(line.Length > 4 ? line[4..] : "");
            if (line.Length == 3 || line[3] == ' ') return new SmtpReply(code, lines);
        }
    }

    private async Task<string?> ReadLineAsync(CancellationToken cancellation)
    {
        var line = new List<byte>();
        while (true)
        {
            if (_start == _end)
            {
                _start = 0;
                try
                {
                    _end = await _stream.ReadAsync(_buffer, cancellation);
                }
                catch (SocketException)
                {
                    _end = 0;
                }
                if (_end == 0) return line.Count == 0 ? null : Encoding.UTF8.GetString([.. line]);
            }
            var b = _buffer[_start++];
            if (b == '\n')
            {
                if (line.Count > 0 && line[^1] == '\r') line.RemoveAt(line.Count - 1);
                return Encoding.UTF8.GetString([.. line]);
            }
            line.Add(b);
        }
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
