using System.Net;
using Pipeline.Shared.Configuration;

namespace Pipeline.Ingest.Smtp;

/// <summary>Who may relay: clients in Ingest:Smtp:RelayFrom, or authenticated ones. Everyone else is refused for
/// every recipient but our own report addresses. There is no other local delivery, so every other recipient is a
/// relay recipient: no open relay, ever.</summary>
public sealed class RelayPolicy(PipelineOptions options)
{
    /// <summary>The addresses mail about our mail comes back to from anywhere on the internet: the VERP return-path
    /// domain (asynchronous bounces) and the feedback-loop address (ARF complaints). They are ours, not relayed: the
    /// BounceProcessor takes them.</summary>
    public bool IsReportAddress(string address) =>
        (options.Bounce.ReturnPathDomain is { Length: > 0 } returnPath && address.EndsWith("@" + returnPath, StringComparison.OrdinalIgnoreCase)) ||
        (options.Bounce.FblAddress is { Length: > 0 } fbl && address.Equals(fbl, StringComparison.OrdinalIgnoreCase));

    private readonly IPNetwork[] _relayFrom = options.Ingest.Smtp.RelayFrom.Select(n => IPNetwork.Parse(n)).ToArray();

    public bool MayRelay(IPAddress? client, bool authenticated)
    {
        if (authenticated) return true;
        if (client is null) return false;
        if (client.IsIPv4MappedToIPv6) client = client.MapToIPv4();
        foreach (var network in _relayFrom)
        {
            if (network.Contains(client)) return true;
        }
        return false;
    }
}
