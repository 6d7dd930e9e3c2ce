using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Pipeline.EndToEnd.Tests.Infrastructure;

/// <summary>One GET /metrics of a service: the text, its samples, and Prometheus's own linter (promtool check metrics,
/// from Debian's prometheus package, which scripts/services.sh installs) run over it.</summary>
public sealed partial class PrometheusScrape
{
    public string Text { get; }
    public IReadOnlyList<(string Name, IReadOnlyDictionary<string, string> Labels, double Value)> Samples { get; }

    private PrometheusScrape(string text)
    {
        Text = text;
        Samples = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')).Select(Parse).ToList();
    }

    public static async Task<PrometheusScrape> GetAsync(int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        return new PrometheusScrape(await http.GetStringAsync($"http://127.0.0.1:{port}/metrics"));
    }

    /// <summary>The sum of the samples named <paramref name="name"/> that have all these labels.</summary>
    public double Sum(string name, params (string Key, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).Sum(s => s.Value);

    public bool Has(string name) => Samples.Any(s => s.Name == name);

    /// <summary>promtool's exit code and what it said (0 and nothing when the exposition is clean).</summary>
    public async Task<(int ExitCode, string Output)> CheckWithPromtoolAsync()
    {
        const string promtool = "/usr/bin/promtool";
        if (!File.Exists(promtool))
            throw new InvalidOperationException("promtool is missing: install Debian's prometheus package (scripts/services.sh install tools does)");
        var start = new ProcessStartInfo(promtool, ["check", "metrics"])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(Text);
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await errors);
    }

    private static (string, IReadOnlyDictionary<string, string>, double) Parse(string line)
    {
        var match = SampleLine().Match(line);
        if (!match.Success) throw new FormatException($"not a Prometheus sample: {line}");
        var labels = LabelPair().Matches(match.Groups["labels"].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        var text = match.Groups["value"].Value;
        var value = text switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            _ => double.Parse(text, CultureInfo.InvariantCulture),
        };
        return (match.Groups["name"].Value, labels, value);
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\d+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}
