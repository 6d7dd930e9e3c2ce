using System.Text;

namespace Pipeline.EndToEnd.Tests.Infrastructure;

/// <summary>Reads accounting lines the way a user's script does: by the header row's field names, quoted cells and all.</summary>
public static class AccountingCsv
{
    /// <summary>Every record of <paramref name="lines"/> (header row first) as field name → value.</summary>
    public static List<Dictionary<string, string>> Records(IReadOnlyList<string> lines)
    {
        if (lines.Count == 0) return [];
        var header = Split(lines[0]);
        return lines.Skip(1).Where(l => l != lines[0]).Select(l => header.Zip(Split(l)).ToDictionary(p => p.First, p => p.Second)).ToList();
    }

    public static List<string> Split(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
            else if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) { cells.Add(cell.ToString()); cell.Clear(); }
            else cell.Append(c);
        }
        cells.Add(cell.ToString().TrimEnd('\r'));
        return cells;
    }
}
