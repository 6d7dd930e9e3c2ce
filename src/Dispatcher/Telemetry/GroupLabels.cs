using System.Collections.Concurrent;

namespace Pipeline.Dispatcher.Telemetry;

/// <summary>The provider-group label of the Dispatcher's metrics, bounded: a group is the provider's name for the
/// big ones (google.com) but the domain itself for every self-hosted destination, so a worker that mails 50,000
/// small domains would export 50,000 series. The first <see cref="Limit"/> groups seen keep their name, later ones
/// are counted as "other" (the busy providers show up early in any real traffic).</summary>
public sealed class GroupLabels
{
    public const int Limit = 100;
    public const string Other = "other";

    private readonly ConcurrentDictionary<string, bool> _named = new(StringComparer.OrdinalIgnoreCase);

    public string For(string group)
    {
        if (_named.ContainsKey(group)) return group;
        if (_named.Count >= Limit) return Other;
        _named.TryAdd(group, true);
        return group;
    }
}
