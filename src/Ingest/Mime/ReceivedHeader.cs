using System.Globalization;

namespace Pipeline.Ingest.Mime;

/// <summary>The trace header Ingest adds on top of every message (RFC 5321 4.4, RFC 5322 3.6.7).</summary>
public static class ReceivedHeader
{
    public static string Format(string? clientHelo, string? clientAddress, string serverName, string protocol, Guid id, DateTimeOffset at)
    {
        var from = clientAddress is null ? "" : clientHelo is { Length: > 0 } helo ? $"from {Sanitize(helo)} ([{clientAddress}])\r\n\t" : $"from [{clientAddress}]\r\n\t";
        return $"Received: {from}by {serverName} (Pipeline Ingest) with {protocol} id {id:N};\r\n\t{Rfc5322Date(at)}\r\n";
    }

    /// <summary>RFC 5322 3.3 date-time, e.g. "Fri, 27 Nov 2026 01:17:09 +0000".</summary>
    public static string Rfc5322Date(DateTimeOffset at) =>
        at.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);

    /// <summary>The HELO name is the client's word: keep it to one printable token so it cannot fold or inject lines.</summary>
    private static string Sanitize(string helo)
    {
        var token = new string(helo.Where(c => c is > ' ' and < (char)127 and not '(' and not ')').Take(255).ToArray());
        return token.Length == 0 ? "unknown" : token;
    }
}
