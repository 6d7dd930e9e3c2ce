using System.Net;

namespace Pipeline.Ingest.Smtp.Protocol;

/// <summary>RFC 5321 4.1.2 Mailbox syntax (Local-part "@" ( Domain / address-literal )), with the UTF-8 extension
/// of RFC 6531 when the transaction asked for SMTPUTF8.</summary>
public static class MailboxSyntax
{
    /// <summary>RFC 5321 4.5.3.1.1: local part at most 64 octets.</summary>
    public const int MaxLocalPartLength = 64;
    /// <summary>RFC 5321 4.5.3.1.2: domain at most 255 octets.</summary>
    public const int MaxDomainLength = 255;
    /// <summary>RFC 5321 4.5.3.1.3: a path (address within the brackets) at most 256 octets.</summary>
    public const int MaxPathLength = 256;

    private const string AtextSpecials = "!#$%&'*+-/=?^_`{|}~";

    /// <summary>True when <paramref name="address"/> is a mailbox; non-ASCII characters only with <paramref name="utf8"/>.</summary>
    public static bool IsValid(string address, bool utf8)
    {
        if (address.Length == 0 || System.Text.Encoding.UTF8.GetByteCount(address) > MaxPathLength) return false;
        int at = address.LastIndexOf('@');
        if (at <= 0 || at == address.Length - 1) return false;
        var local = address.AsSpan(0, at);
        var domain = address.AsSpan(at + 1);
        return IsLocalPart(local, utf8) && (IsDomain(domain, utf8) || IsAddressLiteral(domain));
    }

    /// <summary>True when the address has a character outside ASCII (RFC 6531 needs SMTPUTF8 for it).</summary>
    public static bool IsNonAscii(string address) => !System.Text.Ascii.IsValid(address);

    /// <summary>The domain after the last '@', lower-cased; empty when there is none.</summary>
    public static string DomainOf(string address)
    {
        int at = address.LastIndexOf('@');
        return at < 0 ? "" : address[(at + 1)..].ToLowerInvariant();
    }

    private static bool IsLocalPart(ReadOnlySpan<char> local, bool utf8)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(local) > MaxLocalPartLength) return false;
        if (local[0] == '"') return IsQuotedString(local, utf8);
        // Dot-string: atoms separated by single dots.
        if (local[0] == '.' || local[^1] == '.') return false;
        for (int i = 0; i < local.Length; i++)
        {
            char c = local[i];
            if (c == '.')
            {
                if (local[i - 1] == '.') return false;
                continue;
            }
            if (!IsAtext(c, utf8)) return false;
        }
        return true;
    }

    private static bool IsQuotedString(ReadOnlySpan<char> local, bool utf8)
    {
        if (local.Length < 2 || local[^1] != '"') return false;
        for (int i = 1; i < local.Length - 1; i++)
        {
            char c = local[i];
            if (c == '\\')
            {
                // quoted-pairSMTP: backslash followed by a printable ASCII character.
                i++;
                if (i >= local.Length - 1 || local[i] < 32 || local[i] > 126) return false;
                continue;
            }
            if (c == '"') return false;
            if (c is >= ' ' and <= '~') continue;
            if (c > 127 && utf8) continue;
            return false;
        }
        return true;
    }

    private static bool IsAtext(char c, bool utf8) =>
        char.IsAsciiLetterOrDigit(c) || AtextSpecials.Contains(c) || (utf8 && c > 127 && !char.IsControl(c) && !char.IsWhiteSpace(c));

    private static bool IsDomain(ReadOnlySpan<char> domain, bool utf8)
    {
        if (domain.Length > MaxDomainLength) return false;
        foreach (var range in domain.Split('.'))
        {
            var label = domain[range];
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-') return false;
            foreach (char c in label)
            {
                if (char.IsAsciiLetterOrDigit(c) || c == '-') continue;
                if (utf8 && c > 127 && char.IsLetterOrDigit(c)) continue;
                return false;
            }
        }
        return true;
    }

    private static bool IsAddressLiteral(ReadOnlySpan<char> domain)
    {
        if (domain.Length < 3 || domain[0] != '[' || domain[^1] != ']') return false;
        var inner = domain[1..^1];
        if (inner.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase))
            return IPAddress.TryParse(inner[5..], out var v6) && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        return inner.Count('.') == 3 && IPAddress.TryParse(inner, out var v4) && v4.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;
    }
}
