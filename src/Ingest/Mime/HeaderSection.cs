using System.Text;

namespace Pipeline.Ingest.Mime;

/// <summary>Reads and edits the header section of a raw RFC 5322 message without touching anything else:
/// the body and every header that stays are copied byte for byte, so the Signer signs what the sender wrote.</summary>
public static class HeaderSection
{
    /// <summary>Length of the header section including the blank line that ends it (or the whole message when
    /// it has no body). Bare LF line ends are tolerated.</summary>
    public static int Length(ReadOnlySpan<byte> message)
    {
        int start = 0;
        while (start < message.Length)
        {
            int lf = message[start..].IndexOf((byte)'\n');
            if (lf < 0) return message.Length;
            int lineLength = lf; // without the LF
            if (lineLength > 0 && message[start + lineLength - 1] == '\r') lineLength--;
            start += lf + 1;
            if (lineLength == 0) return start;
        }
        return message.Length;
    }

    /// <summary>The unfolded value of the first header named <paramref name="name"/>, or null.</summary>
    public static string? Get(ReadOnlySpan<byte> message, string name)
    {
        foreach (var field in Fields(message))
        {
            if (field.NameEquals(message, name))
                return field.Value(message);
        }
        return null;
    }

    /// <summary>The header fields of the message, in order.</summary>
    public static List<HeaderField> Fields(ReadOnlySpan<byte> message)
    {
        var fields = new List<HeaderField>();
        int end = Length(message);
        int pos = 0;
        int fieldStart = -1;
        while (pos < end)
        {
            int lf = message[pos..end].IndexOf((byte)'\n');
            int next = lf < 0 ? end : pos + lf + 1;
            var line = message[pos..next];
            bool blank = line.Length == 0 || line[0] == '\r' || line[0] == '\n';
            bool continuation = !blank && (line[0] == ' ' || line[0] == '\t');
            if (!continuation)
            {
                if (fieldStart >= 0) fields.Add(new HeaderField(fieldStart, pos - fieldStart));
                fieldStart = blank ? -1 : pos;
            }
            pos = next;
        }
        if (fieldStart >= 0) fields.Add(new HeaderField(fieldStart, end - fieldStart));
        return fields;
    }

    /// <summary>A copy of the message without the headers named in <paramref name="remove"/> and with
    /// <paramref name="prepend"/> (complete lines ending in CRLF) placed before the first header.</summary>
    public static byte[] Rewrite(ReadOnlySpan<byte> message, IReadOnlyCollection<string> remove, string? prepend = null)
    {
        var fields = Fields(message);
        var extra = prepend is null ? [] : Encoding.UTF8.GetBytes(prepend);
        var output = new MemoryStream(message.Length + extra.Length);
        output.Write(extra);
        int copied = 0;
        foreach (var field in fields)
        {
            if (!IsNamed(field, message, remove)) continue;
            output.Write(message[copied..field.Start]);
            copied = field.Start + field.Length;
        }
        output.Write(message[copied..]);
        return output.ToArray();
    }

    private static bool IsNamed(HeaderField field, ReadOnlySpan<byte> message, IReadOnlyCollection<string> names)
    {
        foreach (var name in names)
        {
            if (field.NameEquals(message, name)) return true;
        }
        return false;
    }

    /// <summary>One header field: its name line and continuation lines, with their line ends.</summary>
    public readonly record struct HeaderField(int Start, int Length)
    {
        public bool NameEquals(ReadOnlySpan<byte> message, string name)
        {
            var field = message.Slice(Start, Length);
            int colon = field.IndexOf((byte)':');
            if (colon < 0) return false;
            var fieldName = field[..colon].TrimEnd(" \t"u8);
            return Ascii.EqualsIgnoreCase(fieldName, name);
        }

        /// <summary>The value with folding removed and surrounding white space trimmed.</summary>
        public string Value(ReadOnlySpan<byte> message)
        {
            var field = message.Slice(Start, Length);
            int colon = field.IndexOf((byte)':');
            var raw = Encoding.UTF8.GetString(field[(colon + 1)..]);
            return raw.Replace("\r\n", "").Replace("\n", "").Trim();
        }
    }
}
