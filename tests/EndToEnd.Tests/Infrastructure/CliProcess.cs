using System.Diagnostics;
using System.Text.Json;

namespace Pipeline.EndToEnd.Tests.Infrastructure;

/// <summary>Runs the real management CLI (`dotnet Cli.dll ...`, the build `dotnet run --project src/Cli` makes) against
/// one test's Dispatcher and BounceProcessor, as an operator would type it.</summary>
public sealed class CliProcess(PipelineTestConfig config)
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public JsonElement Json => JsonDocument.Parse(Output).RootElement;

        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
    }

    public async Task<Result> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(RepoPaths.ServiceDll("Cli"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.ArgumentList.Add("--dispatcher");
        start.ArgumentList.Add($"http://127.0.0.1:{config.DispatcherHttpPort}");
        start.ArgumentList.Add("--bounce");
        start.ArgumentList.Add($"http://127.0.0.1:{config.BounceHttpPort}");
        start.Environment.Remove("PIPELINE_API_KEY");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // A CLI that hangs fails the test, and does not outlive it.
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"cli {string.Join(' ', args)} did not end within 60 s");
        }
        return new Result(process.ExitCode, await output, await error);
    }

    /// <summary>Runs a command that must succeed and returns its result.</summary>
    public async Task<Result> SucceedAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 0, $"cli {string.Join(' ', args)}: {result}");
        return result;
    }

    /// <summary>The queue row of `show queues --json` for a domain, or null when there is none.</summary>
    public async Task<JsonElement?> QueueAsync(string domain)
    {
        var rows = (await SucceedAsync("show", "queues", "--domain", domain, "--json")).Json;
        return rows.GetArrayLength() == 0 ? null : rows[0];
    }
}
