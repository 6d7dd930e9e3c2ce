namespace Pipeline.BounceProcessor.Reports;

/// <summary>Reads RFC 3464 delivery-status fields: blocks of header-style fields (with folded continuation lines)
/// separated by blank lines; the first block is per-message, the others per-recipient. Used on message/delivery-status
/// parts and on the many bounces that paste the same fields into a text part.</summary>
public static class DeliveryStatusFields
{
    /// <param name="joinRepeats">Keep every value of a repeated field, one per line (ARF's Original-Rcpt-To);
    /// otherwise the first value wins (some MTAs repeat Diagnostic-Code with less detail).</param>
    public static List<Dictionary<string, string>> ParseGroups(string text, bool joinRepeats = false)
    {
        var groups = new List<Dictionary<string, string>>();
        Dictionary<string, string>? current = null;
        string? lastName = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                current = null;
                lastName = null;
                continue;
            }
            if (char.IsWhiteSpace(line[0]) && current is not null && lastName is not null)
            {
                current[lastName] += " " + line.Trim();
                continue;
            }
            var colon = line.IndexOf(':');
            if (colon <= 0 || !IsFieldName(line.AsSpan(0, colon)))
            {
                lastName = null;
                continue;
            }
            if (current is null)
            {
                current = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                groups.Add(current);
            }
            lastName = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (current.TryAdd(lastName, value)) continue;
            if (joinRepeats) current[lastName] += "\n" + value;
            lastName = null;
        }
        return groups;
    }

    /// <summary>A recipient group names its recipient (RFC 3464 2.3.1 / 2.3.2).</summary>
    public static bool IsRecipientGroup(Dictionary<string, string> group) =>
        group.ContainsKey("Final-Recipient") || group.ContainsKey("Original-Recipient");

    /// <summary>"rfc822; user@example.com" → "user@example.com"; "smtp; 550 ..." → "550 ...".</summary>
    public static string WithoutType(string value)
    {
        var semi = value.IndexOf(';');
        if (semi > 0 && semi < 12 && !value.AsSpan(0, semi).Contains(' ')) value = value[(semi + 1)..];
        return value.Trim();
    }

    public static string Address(string value)
    {
        var address = WithoutType(value).Trim().Trim('<', '>', '\'').Trim();
        // A quoted local part ("first..last"@example.com) is reported without its quotes.
        if (address.StartsWith('"') && address.IndexOf("\"@", 1, StringComparison.Ordinal) is > 0 and var close)
            address = address[1..close] + address[(close + 1)..];
        address = address.Trim('"');
        var space = address.IndexOfAny([' ', '\t']);
        return space > 0 ? address[..space].Trim('<', '>') : address;
    }

    private static bool IsFieldName(ReadOnlySpan<char> name)
    {
        if (name.Length is 0 or > 40 || !char.IsAsciiLetter(name[0])) return false;
        foreach (var c in name)
            if (!char.IsAsciiLetterOrDigit(c) && c != '-') return false;
        return true;
    }
}
