using System.Net;
using Pipeline.Shared.Configuration;

namespace Pipeline.Ingest.Smtp;

/// <summary>Who may relay: clients in Ingest:Smtp:RelayFrom, or authenticated ones. Everyone else is refused for
/// every recipient. There is no local delivery, so every recipient is a relay recipient: no open relay, ever.</summary>
public sealed class RelayPolicy(PipelineOptions options)
{
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
