using System.Diagnostics;
using RabbitMQ.Client;

namespace Pipeline.Ingest.Tests.Support;

/// <summary>A RabbitMQ node of the test's own (scripts/private-rabbitmq.sh): own node name, ports and data folder,
/// so a test may stop it without touching the shared broker. Stopping keeps its data; starting again reopens it.</summary>
public sealed class PrivateRabbitMq : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"ingest-rabbit-{Guid.NewGuid():N}");
    private readonly int _distributionPort = FreePort.Next();

    public int Port { get; } = FreePort.Next();

    public string Uri => $"amqp://guest:guest@127.0.0.1:{Port}/";

    public static async Task<PrivateRabbitMq> StartAsync()
    {
        var broker = new PrivateRabbitMq();
        await broker.RunScriptAsync("start");
        return broker;
    }

    public Task RestartAsync() => RunScriptAsync("start");

    public Task StopAsync() => RunScriptAsync("stop");

    /// <summary>SIGKILL of the node: a crash, not a shutdown; whatever it had not written is gone.</summary>
    public Task KillAsync() => RunScriptAsync("kill");

    public async Task<IConnection> ConnectAsync() =>
        await new ConnectionFactory { Uri = new System.Uri(Uri) }.CreateConnectionAsync();

    private async Task RunScriptAsync(string command)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(RepositoryRoot.Path, "scripts", "private-rabbitmq.sh"), command, Path.Combine(_directory, "node"), Port.ToString(), _distributionPort.ToString() })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"private-rabbitmq.sh {command} failed ({process.ExitCode}): {await output}{await error}");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // The node's last log writes may race the delete; the temp folder is cleaned eventually.
        }
    }
}
