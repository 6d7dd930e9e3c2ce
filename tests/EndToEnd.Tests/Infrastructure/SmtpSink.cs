using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Pipeline.EndToEnd.Tests.Infrastructure;

/// <summary>A real SMTP receiver: Postfix's smtp-sink on a loopback port, writing every message it receives to a
/// folder (scripts/services.sh installs it). Killed by its PID on dispose.</summary>
public sealed class SmtpSink : IAsyncDisposable
{
    public const string Program = "/usr/sbin/smtp-sink";

    private readonly Process _process;

    public int Port { get; }
    public string Directory { get; }

    private SmtpSink(Process process, int port, string directory)
    {
        _process = process;
        Port = port;
        Directory = directory;
    }

    public static async Task<SmtpSink> StartAsync(int? port = null)
    {
        if (!File.Exists(Program))
            throw new InvalidOperationException($"{Program} is missing: run the tests through scripts/test.sh, which installs postfix");
        var listenPort = port ?? FreePort.Next();
        var directory = TestEnvironment.TemporaryDirectory("smtp-sink");
        // smtp-sink drops to the postfix user: the dump folder must be writable by it.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(directory, (UnixFileMode)0x1FF);
        var start = new ProcessStartInfo(Program) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-u", "postfix", "-d", Path.Combine(directory, "%H%M%S."), $"127.0.0.1:{listenPort}", "64" })
            start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        var sink = new SmtpSink(process, listenPort, directory);
        await TestEnvironment.WaitUntilAsync(async () =>
        {
            if (process.HasExited) throw new InvalidOperationException("smtp-sink exited: " + await process.StandardError.ReadToEndAsync());
            using var client = new TcpClient();
            try { await client.ConnectAsync("127.0.0.1", listenPort); return true; }
            catch (SocketException) { return false; }
        }, TimeSpan.FromSeconds(10), "smtp-sink to listen");
        return sink;
    }

    /// <summary>The received messages as the sender sent them: smtp-sink's own X- lines and Received header removed,
    /// line ends restored to CRLF.</summary>
    public IReadOnlyList<byte[]> Messages()
    {
        var messages = new List<byte[]>();
        foreach (var file in CompleteFiles())
        {
            var text = File.ReadAllText(file, Encoding.Latin1);
            var lines = text.Replace("\r\n", "\n").Split('\n').ToList();
            int i = 0;
            while (i < lines.Count && lines[i].StartsWith("X-", StringComparison.Ordinal)) i++;
            // smtp-sink's Received header and its continuation lines
            if (i < lines.Count && lines[i].StartsWith("Received:", StringComparison.Ordinal))
            {
                i++;
                while (i < lines.Count && lines[i].Length > 0 && lines[i][0] is ' ' or '\t') i++;
            }
            messages.Add(Encoding.Latin1.GetBytes(string.Join("\r\n", lines.Skip(i))));
        }
        return messages;
    }

    /// <summary>True once a message containing <paramref name="text"/> has been received whole. smtp-sink creates
    /// its dump file when a session starts and fills it as the session goes, so a file's existence proves nothing.</summary>
    public bool HasReceived(string text) =>
        Dumps().Any(d => d.Contains(text, StringComparison.Ordinal) && d.EndsWith('\n'));

    /// <summary>The raw dump of each message, smtp-sink's X- lines included (X-Client-Addr, X-Helo-Args ...).</summary>
    public IReadOnlyList<string> Dumps() =>
        CompleteFiles().Select(f => File.ReadAllText(f, Encoding.Latin1)).ToList();

    /// <summary>The dump files of finished transactions. smtp-sink creates a message's file at MAIL and writes it
    /// until the final dot: a file it still holds open (seen in /proc/PID/fd) is a message still arriving, empty or
    /// cut short, and reading it then made tests on a busy machine fail.</summary>
    private IEnumerable<string> CompleteFiles()
    {
        var open = new HashSet<string>();
        try
        {
            foreach (var fd in System.IO.Directory.EnumerateFileSystemEntries($"/proc/{_process.Id}/fd"))
            {
                if (new FileInfo(fd).LinkTarget is { } target) open.Add(target);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No /proc (not Linux) or the sink is gone: every file is complete.
        }
        return System.IO.Directory.EnumerateFiles(Directory).Order().Where(f => !open.Contains(f));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
