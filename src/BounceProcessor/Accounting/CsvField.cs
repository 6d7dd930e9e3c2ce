using System.Text;

namespace Pipeline.BounceProcessor.Accounting;

/// <summary>RFC 4180 quoting: a field with a comma, quote or line break is quoted and its quotes doubled.
/// Line breaks inside a reply are folded to spaces first, so one record is always one line.</summary>
public static class CsvField
{
    public static void Append(StringBuilder line, string? value)
    {
        if (string.IsNullOrEmpty(value)) return;
        if (value.AsSpan().IndexOfAny("\r\n") >= 0) value = value.Replace("\r\n", " ").Replace('\r', ' ').Replace('\n', ' ');
        if (value.AsSpan().IndexOfAny(",\"") < 0)
        {
            line.Append(value);
            return;
        }
        line.Append('"').Append(value.Replace("\"", "\"\"")).Append('"');
    }

    public static string Line(IEnumerable<string?> values)
    {
        var line = new StringBuilder(256);
        bool first = true;
        foreach (var value in values)
        {
            if (!first) line.Append(',');
            Append(line, value);
            first = false;
        }
        return line.Append('\n').ToString();
    }
}
