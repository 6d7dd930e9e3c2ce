using System.ComponentModel;
using System.Diagnostics;

namespace Pipeline.Signer.Tests.Support;

/// <summary>Runs an external verifier to its end and collects what it says.</summary>
public static class ChildProcess
{
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(ProcessStartInfo start, string installHint)
    {
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start");
        }
        catch (Win32Exception e)
        {
            Assert.Fail($"{start.FileName} cannot be run ({e.Message}); {installHint}");
            throw;
        }
        using (process)
        {
            // A guard against a hung child, not a timing assertion.
            using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            var stdout = process.StandardOutput.ReadToEndAsync(guard.Token);
            var stderr = process.StandardError.ReadToEndAsync(guard.Token);
            await process.WaitForExitAsync(guard.Token);
            return (process.ExitCode, await stdout, await stderr);
        }
    }
}
