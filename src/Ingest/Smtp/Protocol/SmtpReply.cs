using System.Text;

namespace Pipeline.Ingest.Smtp.Protocol;

/// <summary>One reply: the RFC 5321 code, the RFC 3463 enhanced status (ENHANCEDSTATUSCODES, RFC 2034) and the
/// sentence. Every reply of the listener carries an enhanced status, except the greeting (RFC 2034 section 3).</summary>
public readonly record struct SmtpReply(int Code, string? EnhancedStatus, string Text)
{
    public bool IsPositive => Code < 400;

    /// <summary>The reply as it goes on the wire, CRLF-terminated. A reply may quote what the client sent (a bad
    /// address); control characters in it become '?', so a quoted bare CR cannot break the reply line.</summary>
    public byte[] ToBytes()
    {
        var text = ToString();
        if (text.Any(char.IsControl)) text = new string(text.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return Encoding.UTF8.GetBytes(text + "\r\n");
    }

    public override string ToString() =>
        EnhancedStatus is null ? $"{Code} {Text}" : $"{Code} {EnhancedStatus} {Text}";

    /// <summary>A multi-line reply (EHLO): "250-first", ..., "250 last".</summary>
    public static byte[] MultiLine(int code, IReadOnlyList<string> lines)
    {
        var text = new StringBuilder();
        for (int i = 0; i < lines.Count; i++)
            text.Append(code).Append(i == lines.Count - 1 ? ' ' : '-').Append(lines[i]).Append("\r\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
