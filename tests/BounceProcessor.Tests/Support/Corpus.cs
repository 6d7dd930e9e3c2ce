namespace Pipeline.BounceProcessor.Tests.Support;

/// <summary>The shared corpus of real bounces, replies and feedback reports (../shared/corpus beside the repository, or PIPELINE_CORPUS),
/// read as tab-separated rows with their header names.</summary>
public static class Corpus
{
    public static string Root { get; } = Environment.GetEnvironmentVariable("PIPELINE_CORPUS") is { Length: > 0 } corpus ? corpus : SharedFolder.Path("corpus");

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
}
