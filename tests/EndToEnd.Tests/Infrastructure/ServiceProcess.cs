using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace Pipeline.EndToEnd.Tests.Infrastructure;

/// <summary>One service of the pipeline running as its own process (`dotnet Service.dll`), its output kept for
/// assertions and for the failure message. Disposing it kills the process.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    public string Name { get; }

    private ServiceProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public static ServiceProcess Start(string project, string configFile, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(RepoPaths.ServiceDll(project));
        start.Environment["PIPELINE_CONFIG"] = configFile;
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        // The test's own connection strings and overrides must not leak into the child from the developer's shell.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ConnectionStrings__", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(key);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var service = new ServiceProcess(project, process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) service._output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) service._output.Enqueue("stderr: " + e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    public string Output => string.Join('\n', _output);

    public bool HasExited => _process.HasExited;

    /// <summary>Waits for the process to end by itself and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>Waits until the service's HTTP listener answers 200 on <paramref name="path"/>.</summary>
    public async Task WaitForHttpAsync(int port, string path, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await TestEnvironment.WaitUntilAsync(async () =>
        {
            if (_process.HasExited) throw new InvalidOperationException($"{Name} exited with {_process.ExitCode}:\n{Output}");
            try { return (await http.GetAsync($"http://127.0.0.1:{port}{path}")).IsSuccessStatusCode; }
            catch (HttpRequestException) { return false; }
            catch (TaskCanceledException) { return false; }
        }, timeout, $"{Name} to answer {path} on port {port}; output so far:\n{Output}");
    }

    /// <summary>SIGKILL, as a crash or `kill -9` would: no shutdown code runs, nothing is flushed.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    public override string ToString() => new StringBuilder().Append(Name).Append(":\n").Append(Output).ToString();
}
