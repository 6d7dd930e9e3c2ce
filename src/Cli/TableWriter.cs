namespace Pipeline.Cli;

/// <summary>Columns aligned like `pmta show queues`: a header row, then one row per item; numbers right-aligned.</summary>
public sealed class TableWriter(params string[] headers)
{
    private readonly List<string[]> _rows = [];
    private readonly bool[] _numeric = new bool[headers.Length];

    /// <summary>Marks columns whose values are right-aligned.</summary>
    public TableWriter Numeric(params int[] columns)
    {
        foreach (var c in columns) _numeric[c] = true;
        return this;
    }

    public void Add(params string?[] values) => _rows.Add([.. values.Select(v => v ?? "")]);

    public int Count => _rows.Count;

    public void Write(TextWriter output)
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Length))).ToArray();
        Line(output, headers, widths);
        foreach (var row in _rows) Line(output, row, widths);
    }

    private void Line(TextWriter output, string[] values, int[] widths)
    {
        var cells = values.Select((v, i) => _numeric[i] ? v.PadLeft(widths[i]) : v.PadRight(widths[i]));
        output.WriteLine(string.Join("  ", cells).TrimEnd());
    }
}
