using System.Net;

namespace Pipeline.Dispatcher.Routing;

/// <summary>A host to try for a destination domain, in order of preference, with its addresses.</summary>
public sealed record NextHop(string Host, int Port, IReadOnlyList<IPAddress> Addresses);

/// <summary>The result of resolving a destination: the hosts to try, or why there are none.</summary>
public sealed record NextHopResolution(IReadOnlyList<NextHop> Hosts, bool PermanentFailure, string? Problem)
{
    public static NextHopResolution Found(IReadOnlyList<NextHop> hosts) => new(hosts, false, null);
    public static NextHopResolution Permanent(string problem) => new([], true, problem);
    public static NextHopResolution Transient(string problem) => new([], false, problem);
}
