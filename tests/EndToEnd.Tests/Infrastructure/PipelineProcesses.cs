namespace Pipeline.EndToEnd.Tests.Infrastructure;

/// <summary>The four services of one test as separate processes, started on its configuration file and ready (each
/// answers /readyz, so its bus is connected); disposing stops them all.</summary>
public sealed class PipelineProcesses : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    public required ServiceProcess Ingest { get; init; }
    public required ServiceProcess Signer { get; init; }
    public required ServiceProcess Dispatcher { get; init; }
    public required ServiceProcess BounceProcessor { get; init; }

    public static async Task<PipelineProcesses> StartAsync(PipelineTestConfig config, string configFile)
    {
        var processes = new PipelineProcesses
        {
            Ingest = ServiceProcess.Start("Ingest", configFile),
            Signer = ServiceProcess.Start("Signer", configFile),
            Dispatcher = ServiceProcess.Start("Dispatcher", configFile),
            BounceProcessor = ServiceProcess.Start("BounceProcessor", configFile),
        };
        try
        {
            await Task.WhenAll(
                processes.Ingest.WaitForHttpAsync(config.IngestHttpPort, "/readyz", StartTimeout),
                processes.Signer.WaitForHttpAsync(config.SignerHttpPort, "/readyz", StartTimeout),
                processes.Dispatcher.WaitForHttpAsync(config.DispatcherHttpPort, "/readyz", StartTimeout),
                processes.BounceProcessor.WaitForHttpAsync(config.BounceHttpPort, "/readyz", StartTimeout));
            return processes;
        }
        catch
        {
            await processes.DisposeAsync();
            throw;
        }
    }

    /// <summary>Every service's output, for a failure message.</summary>
    public override string ToString() => $"{Ingest}\n{Signer}\n{Dispatcher}\n{BounceProcessor}";

    public async ValueTask DisposeAsync()
    {
        foreach (var process in new[] { Ingest, Signer, Dispatcher, BounceProcessor }) await process.DisposeAsync();
    }
}
