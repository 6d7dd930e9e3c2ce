using System.Collections.Concurrent;
using System.Net;
using Pipeline.Shared.Configuration;

namespace Pipeline.Dispatcher.Routing;

/// <summary>The provider group (<see cref="DomainGroup"/>) of each destination domain, from its MX hosts, cached for
/// an hour. A domain with an entry of its own in Domains, or a Route, is its own group.</summary>
public sealed class DomainGroups(NextHopResolver resolver, DomainPolicies policies, TimeProvider clock)
{
    private static readonly TimeSpan Keep = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<string, (string Group, DateTimeOffset Until)> _cache = new(StringComparer.OrdinalIgnoreCase);

    public async ValueTask<string> GroupOfAsync(string domain, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(domain, out var cached) && cached.Until > now) return cached.Group;
        var group = domain.ToLowerInvariant();
        if (!policies.IsConfigured(domain) && policies.For(domain).Route is null)
        {
            var resolution = await resolver.ResolveAsync(domain, cancellationToken).ConfigureAwait(false);
            var names = resolution.Hosts.Select(h => h.Host).Where(h => !IPAddress.TryParse(h, out _)).ToList();
            if (names.Count > 0) group = DomainGroup.Of(domain, names);
        }
        _cache[domain] = (group, now + Keep);
        return group;
    }

    /// <summary>Forgets every domain's group (after a configuration reload: an entry added for a domain makes it a
    /// group of its own). Queues already running keep theirs until the Dispatcher restarts.</summary>
    public void Forget() => _cache.Clear();
}
