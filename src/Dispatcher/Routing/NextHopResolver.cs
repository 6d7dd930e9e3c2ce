using System.Net;
using DnsClient;
using DnsClient.Protocol;
using Pipeline.Shared.Configuration;

namespace Pipeline.Dispatcher.Routing;

/// <summary>Where mail for a domain goes: the configured Route, else its MX hosts by preference (RFC 5321 5.1),
/// else the domain itself when it has no MX (implicit MX). A null MX (RFC 7505) or NXDOMAIN is permanent.</summary>
public sealed class NextHopResolver(DomainPolicies policies, ILookupClient dns)
{
    public const int SmtpPort = 25;
    private static readonly QueryType[] AddressTypes = [QueryType.A, QueryType.AAAA];

    public async Task<NextHopResolution> ResolveAsync(string domain, CancellationToken cancellationToken)
    {
        if (policies.For(domain).Route is { } route)
        {
            var routed = await AddressesAsync(route.Host, route.Port, cancellationToken).ConfigureAwait(false);
            return routed.Addresses.Count > 0
                ? NextHopResolution.Found([routed])
                : NextHopResolution.Transient($"Route {route.Host}:{route.Port} of {domain} has no address");
        }

        IDnsQueryResponse response;
        try
        {
            response = await dns.QueryAsync(domain, QueryType.MX, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (DnsResponseException e)
        {
            return NextHopResolution.Transient($"MX lookup for {domain} failed: {e.Message}");
        }
        if (response.Header.ResponseCode == DnsHeaderResponseCode.NotExistentDomain)
            return NextHopResolution.Permanent($"{domain}: domain does not exist (NXDOMAIN)");
        if (response.HasError)
            return NextHopResolution.Transient($"MX lookup for {domain} failed: {response.ErrorMessage}");

        var mx = response.Answers.MxRecords().OrderBy(r => r.Preference).ToList();
        if (mx.Count == 1 && mx[0].Exchange.Value is "." or "")
            return NextHopResolution.Permanent($"{domain} accepts no mail (null MX, RFC 7505)");
        var names = mx.Count == 0 ? [domain] : mx.Select(r => r.Exchange.Value.TrimEnd('.')).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var hops = new List<NextHop>(names.Count);
        foreach (var name in names)
        {
            var hop = await AddressesAsync(name, SmtpPort, cancellationToken).ConfigureAwait(false);
            if (hop.Addresses.Count > 0) hops.Add(hop);
        }
        if (hops.Count > 0) return NextHopResolution.Found(hops);
        return mx.Count == 0
            ? NextHopResolution.Permanent($"{domain} has neither MX nor address records")
            : NextHopResolution.Transient($"no MX host of {domain} has an address");
    }

    /// <summary>Addresses through the configured name servers: the MX targets of test and private zones are
    /// known only there, not to the system resolver.</summary>
    private async Task<NextHop> AddressesAsync(string host, int port, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out var literal)) return new NextHop(host, port, [literal]);
        var addresses = new List<IPAddress>();
        foreach (var type in AddressTypes)
        {
            try
            {
                var answer = await dns.QueryAsync(host, type, cancellationToken: cancellationToken).ConfigureAwait(false);
                addresses.AddRange(answer.Answers.AddressRecords().Select(a => a.Address));
            }
            catch (DnsResponseException)
            {
                // One family failing leaves the other; no address at all is reported by the caller.
            }
        }
        return new NextHop(host, port, addresses);
    }

    /// <summary>The DNS client from configuration: Dns:Servers, or the system resolver when empty.</summary>
    public static ILookupClient CreateLookupClient(DnsOptions options)
    {
        if (options.Servers.Count == 0) return new LookupClient();
        var servers = options.Servers.Select(s =>
        {
            var endPoint = HostPort.Parse(s, defaultPort: 53);
            return new IPEndPoint(IPAddress.Parse(endPoint.Host), endPoint.Port);
        }).ToArray();
        return new LookupClient(new LookupClientOptions(servers) { UseCache = true, Timeout = TimeSpan.FromSeconds(5), Retries = 2 });
    }
}
