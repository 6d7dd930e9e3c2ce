using System.Text;

namespace Pipeline.BounceProcessor.Accounting;

/// <summary>Splits one accounting line back into its fields: the reverse of <see cref="CsvField"/> (RFC 4180 quoting,
/// one record per line).</summary>
public static class CsvLine
{
    public static List<string> Parse(ReadOnlySpan<char> line)
    {
        var fields = new List<string>(20);
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c != '"') field.Append(c);
                else if (i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else if (c != '\r') field.Append(c);
        }
        fields.Add(field.ToString());
        return fields;
    }
}
