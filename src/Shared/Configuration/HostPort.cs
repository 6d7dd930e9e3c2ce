using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace Pipeline.Shared.Configuration;

/// <summary>"host:port" and "ip:port" values of the configuration (Route, Listen, name servers).</summary>
public static class HostPort
{
    public static DnsEndPoint Parse(string text, int? defaultPort = null) =>
        TryParse(text, out var endPoint, defaultPort) ? endPoint : throw new FormatException($"'{text}' is not host:port");

    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out DnsEndPoint? endPoint, int? defaultPort = null)
    {
        endPoint = null;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
        if (IPEndPoint.TryParse(s, out var ip) && (ip.Port != 0 || defaultPort is not null) && (s.Contains(':') || defaultPort is not null))
        {
            // IPEndPoint.TryParse accepts a bare address with port 0; that is only right where a default port exists.
            var port = ip.Port == 0 && !s.EndsWith(":0", StringComparison.Ordinal) ? defaultPort ?? 0 : ip.Port;
            if (port is <= 0 or > 65535) return false;
            endPoint = new DnsEndPoint(ip.Address.ToString(), port);
            return true;
        }
        var colon = s.LastIndexOf(':');
        string host;
        int parsedPort;
        if (colon < 0)
        {
            if (defaultPort is null) return false;
            host = s;
            parsedPort = defaultPort.Value;
        }
        else
        {
            host = s[..colon];
            if (!int.TryParse(s.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out parsedPort)) return false;
        }
        if (parsedPort is <= 0 or > 65535 || Uri.CheckHostName(host) is UriHostNameType.Unknown) return false;
        endPoint = new DnsEndPoint(host, parsedPort);
        return true;
    }

    /// <summary>A listener address: an IP literal and a port.</summary>
    public static bool TryParseListen([NotNullWhen(true)] string? text, [NotNullWhen(true)] out IPEndPoint? endPoint)
    {
        endPoint = null;
        if (!TryParse(text, out var dns) || !IPAddress.TryParse(dns.Host, out var address)) return false;
        endPoint = new IPEndPoint(address, dns.Port);
        return true;
    }
}
