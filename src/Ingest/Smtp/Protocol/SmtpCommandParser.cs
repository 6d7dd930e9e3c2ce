using System.Text;

namespace Pipeline.Ingest.Smtp.Protocol;

/// <summary>Pure parser of SMTP command lines; no I/O, so every case is tested without a socket.</summary>
public static class SmtpCommandParser
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Parses one line without its line end.</summary>
    public static SmtpCommand Parse(ReadOnlySpan<byte> line)
    {
        int space = line.IndexOf((byte)' ');
        var verbBytes = space < 0 ? line : line[..space];
        var verb = VerbOf(verbBytes);
        string argument;
        try
        {
            argument = space < 0 ? "" : StrictUtf8.GetString(line[(space + 1)..]).Trim(' ', '\t');
        }
        catch (DecoderFallbackException)
        {
            return new SmtpCommand(verb, "", Invalid: true);
        }
        return new SmtpCommand(verb, argument);
    }

    private static SmtpVerb VerbOf(ReadOnlySpan<byte> verb) => verb.Length switch
    {
        4 when Ascii.EqualsIgnoreCase(verb, "HELO"u8) => SmtpVerb.Helo,
        4 when Ascii.EqualsIgnoreCase(verb, "EHLO"u8) => SmtpVerb.Ehlo,
        4 when Ascii.EqualsIgnoreCase(verb, "MAIL"u8) => SmtpVerb.Mail,
        4 when Ascii.EqualsIgnoreCase(verb, "RCPT"u8) => SmtpVerb.Rcpt,
        4 when Ascii.EqualsIgnoreCase(verb, "DATA"u8) => SmtpVerb.Data,
        4 when Ascii.EqualsIgnoreCase(verb, "BDAT"u8) => SmtpVerb.Bdat,
        4 when Ascii.EqualsIgnoreCase(verb, "RSET"u8) => SmtpVerb.Rset,
        4 when Ascii.EqualsIgnoreCase(verb, "NOOP"u8) => SmtpVerb.Noop,
        4 when Ascii.EqualsIgnoreCase(verb, "QUIT"u8) => SmtpVerb.Quit,
        4 when Ascii.EqualsIgnoreCase(verb, "VRFY"u8) => SmtpVerb.Vrfy,
        4 when Ascii.EqualsIgnoreCase(verb, "EXPN"u8) => SmtpVerb.Expn,
        4 when Ascii.EqualsIgnoreCase(verb, "HELP"u8) => SmtpVerb.Help,
        4 when Ascii.EqualsIgnoreCase(verb, "AUTH"u8) => SmtpVerb.Auth,
        8 when Ascii.EqualsIgnoreCase(verb, "STARTTLS"u8) => SmtpVerb.StartTls,
        _ => SmtpVerb.Unknown,
    };

    /// <summary>Parses the argument of MAIL ("FROM:&lt;a@b&gt; SIZE=10") or RCPT ("TO:&lt;a@b&gt;"): the address
    /// between the angle brackets (a source route, RFC 5321 4.1.2, is dropped) and the ESMTP parameters.
    /// One space after the colon is tolerated, as many clients send it.</summary>
    public static bool TryParsePath(string argument, string keyword, out SmtpPath path)
    {
        path = default;
        if (!argument.StartsWith(keyword, StringComparison.OrdinalIgnoreCase)) return false;
        var rest = argument.AsSpan(keyword.Length).TrimStart(' ');
        if (rest.Length == 0 || rest[0] != '<') return false;
        int close = rest.IndexOf('>');
        if (close < 0) return false;
        var address = rest[1..close].ToString();
        if (address.StartsWith('@'))
        {
            int colon = address.IndexOf(':');
            if (colon < 0) return false;
            address = address[(colon + 1)..];
        }
        var parameters = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var tail = rest[(close + 1)..];
        if (tail.Length > 0 && tail[0] != ' ') return false;
        foreach (var range in tail.Split(' '))
        {
            var parameter = tail[range];
            if (parameter.IsEmpty) continue;
            int eq = parameter.IndexOf('=');
            var name = (eq < 0 ? parameter : parameter[..eq]).ToString();
            if (name.Length == 0) return false;
            parameters[name] = eq < 0 ? null : parameter[(eq + 1)..].ToString();
        }
        path = new SmtpPath(address, parameters);
        return true;
    }
}
