using System.Diagnostics;

namespace Pipeline.EndToEnd.Tests.Infrastructure;

/// <summary>Debian's chromium, headless, loading a page as an operator's browser would (scripts and all) and
/// returning the DOM it ended with. Each load gets a profile folder of its own, removed afterwards.</summary>
public static class HeadlessChromium
{
    public const string Program = "/usr/bin/chromium";

    /// <param name="virtualTime">How long the page's own timers run (in Chromium's virtual time) before the DOM is taken.</param>
    public static async Task<string> DumpDomAsync(string url, TimeSpan virtualTime, TimeSpan timeout)
    {
        var profile = Directory.CreateTempSubdirectory("chromium-profile-").FullName;
        try
        {
            var start = new ProcessStartInfo(Program)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                $"--user-data-dir={profile}", $"--virtual-time-budget={(int)virtualTime.TotalMilliseconds}", "--dump-dom", url,
            }) start.ArgumentList.Add(argument);
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var limit = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"chromium did not finish loading {url} within {timeout}: {await errors}");
            }
            var dom = await output;
            if (process.ExitCode != 0 || dom.Length == 0)
                throw new InvalidOperationException($"chromium exited with {process.ExitCode} loading {url}: {await errors}");
            return dom;
        }
        finally
        {
            try { Directory.Delete(profile, recursive: true); } catch (IOException) { }
        }
    }
}
