using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Shared.Verp;

/// <summary>Variable envelope return path: the envelope sender of each delivery names the message and the
/// recipient, so an asynchronous bounce, whatever its format, maps back to what we sent:
/// <c>bounces+&lt;message id, 32 hex&gt;.&lt;recipient tag, 8 hex&gt;@&lt;Bounce:ReturnPathDomain&gt;</c>.
/// The recipient tag is the first 4 bytes of SHA-256 over the lower-cased recipient: it keeps the address out of
/// the return path (privacy, length limits) and is checked against the recipients of the message it names.</summary>
public static class VerpAddress
{
    public const string LocalPartPrefix = "bounces+";
    private const int TagLength = 8;

    /// <summary>The return path for one recipient of one message.</summary>
    public static string Encode(Guid messageId, string recipient, string returnPathDomain) =>
        $"{LocalPartPrefix}{messageId:N}.{RecipientTag(recipient)}@{returnPathDomain.ToLowerInvariant()}";

    /// <summary>The recipient tag of an address (8 lower-case hex digits).</summary>
    public static string RecipientTag(string recipient) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(recipient.Trim().ToLowerInvariant())))[..TagLength];

    /// <summary>Reads a VERP address of <paramref name="returnPathDomain"/>; false for any other address.</summary>
    public static bool TryDecode(string address, string returnPathDomain, out Guid messageId, out string recipientTag)
    {
        messageId = Guid.Empty;
        recipientTag = "";
        var at = address.LastIndexOf('@');
        if (at < 0 || !address.AsSpan(at + 1).Equals(returnPathDomain, StringComparison.OrdinalIgnoreCase)) return false;
        var local = address.AsSpan(0, at);
        if (!local.StartsWith(LocalPartPrefix, StringComparison.OrdinalIgnoreCase)) return false;
        local = local[LocalPartPrefix.Length..];
        var dot = local.IndexOf('.');
        if (dot != 32 || local.Length != 32 + 1 + TagLength) return false;
        if (!Guid.TryParseExact(local[..32], "N", out messageId)) return false;
        var tag = local[(dot + 1)..];
        foreach (var c in tag)
            if (!char.IsAsciiHexDigit(c)) return false;
        recipientTag = tag.ToString().ToLower(CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>True when the address is at the return-path domain (a VERP address or not).</summary>
    public static bool IsReturnPath(string address, string? returnPathDomain) =>
        !string.IsNullOrEmpty(returnPathDomain) && address.EndsWith("@" + returnPathDomain, StringComparison.OrdinalIgnoreCase);
}
