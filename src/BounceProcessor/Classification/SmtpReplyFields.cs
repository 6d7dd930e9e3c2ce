namespace Pipeline.BounceProcessor.Classification;

/// <summary>Finds the reply code and enhanced status code (RFC 3463) inside free text such as a DSN's
/// Diagnostic-Code or a non-standard bounce's explanation, without regular expressions (this runs per reply).</summary>
public static class SmtpReplyFields
{
    /// <summary>The first enhanced status code (class.subject.detail: class 2, 4 or 5, subject 0-7 as RFC 3463
    /// defines them, detail up to 3 digits) that is not part of an IP address or a longer number; empty when none.</summary>
    public static string FindEnhancedStatus(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length - 4; i++)
        {
            var c = text[i];
            if (c is not ('2' or '4' or '5') || text[i + 1] != '.') continue;
            if (i > 0 && (char.IsAsciiDigit(text[i - 1]) || text[i - 1] == '.')) continue;
            var j = i + 2;
            var subject = DigitRun(text, j);
            if (subject != 1 || text[j] > '7' || j + subject >= text.Length || text[j + subject] != '.') continue;
            var k = j + subject + 1;
            var detail = DigitRun(text, k);
            if (detail is 0 or > 3) continue;
            var end = k + detail;
            // 192.0.2.1 or 5.1.1.2 are not status codes.
            if (end < text.Length && (text[end] == '.' && end + 1 < text.Length && char.IsAsciiDigit(text[end + 1]))) continue;
            return text[i..end].ToString();
        }
        return "";
    }

    /// <summary>The first three-digit reply code (2xx, 4xx, 5xx) standing on its own: at the start or after a
    /// space, colon, bracket or quote, followed by a space, hyphen, end or punctuation; 0 when none.</summary>
    public static int FindReplyCode(ReadOnlySpan<char> text)
    {
        for (var i = 0; i + 3 <= text.Length; i++)
        {
            var c = text[i];
            if (c is not ('2' or '4' or '5')) continue;
            if (!char.IsAsciiDigit(text[i + 1]) || !char.IsAsciiDigit(text[i + 2])) continue;
            if (text[i + 1] > '5') continue;
            if (i > 0 && text[i - 1] is not (' ' or ':' or '[' or '(' or '\'' or '"' or ';' or '<' or '=')) continue;
            if (i + 3 < text.Length && text[i + 3] is not (' ' or '-' or ':' or ']' or ')' or '\'' or '"' or ',')) continue;
            return (c - '0') * 100 + (text[i + 1] - '0') * 10 + (text[i + 2] - '0');
        }
        return 0;
    }

    private static int DigitRun(ReadOnlySpan<char> text, int start)
    {
        var n = 0;
        while (start + n < text.Length && char.IsAsciiDigit(text[start + n])) n++;
        return n;
    }
}
