using System.Diagnostics;

namespace Pipeline.EndToEnd.Tests.Infrastructure;

/// <summary>A virtual host of its own on the test broker for one test, so that tests running side by side (several
/// test processes, or a developer's pipeline) never consume each other's messages from the shared queue names
/// (pipeline.signer, pipeline.accounting ...). Created and deleted with rabbitmqctl, which scripts/services.sh installs.</summary>
public sealed class RabbitMqVirtualHost : IDisposable
{
    public string Name { get; } = "e2e-" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>The broker URI of <see cref="TestEnvironment.RabbitMq"/> with this virtual host.</summary>
    public string Uri { get; }

    public RabbitMqVirtualHost()
    {
        Run("add_vhost", Name);
        Run("set_permissions", "-p", Name, "guest", ".*", ".*", ".*");
        var builder = new UriBuilder(TestEnvironment.RabbitMq) { Path = "/" + Name };
        Uri = builder.Uri.ToString();
    }

    public void Dispose() => Run("delete_vhost", Name);

    private static void Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("rabbitmqctl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["RABBITMQ_NODENAME"] = Environment.GetEnvironmentVariable("RABBITMQ_NODENAME") is { Length: > 0 } node ? node : "rabbit@localhost";
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("rabbitmqctl did not start");
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', arguments)} failed ({process.ExitCode}): {error.Result}");
    }
}
