using System.Runtime.CompilerServices;

namespace Pipeline.BounceProcessor.Tests.Support;

/// <summary>The shared corpus of real bounces, replies and feedback reports (../shared/corpus beside the repository),
/// read as tab-separated rows with their header names.</summary>
public static class Corpus
{
    public static string Root { get; } = Find();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    public static IReadOnlyList<IReadOnlyDictionary<string, string>> ReadTsv(string file)
    {
        var lines = File.ReadAllLines(Path(file));
        var header = lines[0].Split('\t');
        var rows = new List<IReadOnlyDictionary<string, string>>();
        foreach (var line in lines.Skip(1))
        {
            if (line.Length == 0) continue;
            var cells = line.Split('\t');
            var row = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < header.Length; i++) row[header[i]] = i < cells.Length ? Unquote(cells[i]) : "";
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>Cells holding quotes were written CSV-style: "...""..."</summary>
    private static string Unquote(string cell) =>
        cell.Length >= 2 && cell[0] == '"' && cell[^1] == '"' ? cell[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : cell;

    private static string Find([CallerFilePath] string sourceFile = "")
    {
        if (Environment.GetEnvironmentVariable("PIPELINE_CORPUS") is { Length: > 0 } configured) return configured;
        foreach (var start in new[] { AppContext.BaseDirectory, System.IO.Path.GetDirectoryName(sourceFile)! })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (!File.Exists(System.IO.Path.Combine(dir.FullName, "Pipeline.sln"))) continue;
                var corpus = System.IO.Path.GetFullPath(System.IO.Path.Combine(dir.FullName, "..", "shared", "corpus"));
                if (Directory.Exists(corpus)) return corpus;
            }
        }
        throw new InvalidOperationException("the corpus is not at ../shared/corpus beside the repository; set PIPELINE_CORPUS");
    }
}
