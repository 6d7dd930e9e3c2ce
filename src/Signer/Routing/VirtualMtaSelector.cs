using Pipeline.Shared.Configuration;

namespace Pipeline.Signer.Routing;

/// <summary>Picks the concrete VirtualMTA a message leaves from: the one it names, or the next member of the pool
/// it names (the default pool when it names none), by weighted round robin ("mta1:3" takes three turns to a
/// weight-1 member's one, interleaved rather than in a burst). This happens before the dispatch queue, because each
/// VirtualMTA's queue is consumed by the Dispatcher that holds its source IP.</summary>
public sealed class VirtualMtaSelector(PipelineOptions options)
{
    private readonly Dictionary<string, WeightedRotation> _pools = options.Pools.ToDictionary(
        p => p.Key, p => new WeightedRotation(p.Value.Select(PoolMember.Parse).ToArray(), options), StringComparer.OrdinalIgnoreCase);

    /// <summary>The VirtualMTA for a requested name, or null when the name is neither a VirtualMTA nor a pool.</summary>
    public string? Select(string? requested)
    {
        var name = string.IsNullOrEmpty(requested) ? PipelineOptions.DefaultPool : requested;
        if (options.VirtualMtas.ContainsKey(name))
            return options.VirtualMtas.Keys.First(k => k.Equals(name, StringComparison.OrdinalIgnoreCase));
        return _pools.TryGetValue(name, out var pool) ? pool.Next() : null;
    }

    /// <summary>Smooth weighted round robin (as nginx balances upstreams): each turn every member gains its weight,
    /// the richest is chosen and pays the total. Equal weights give plain round robin.</summary>
    private sealed class WeightedRotation
    {
        private readonly string[] _names;
        private readonly int[] _weights;
        private readonly int[] _current;
        private readonly int _total;
        private readonly Lock _lock = new();

        public WeightedRotation(PoolMember[] members, PipelineOptions options)
        {
            // The configured spelling of each VirtualMTA name, whatever case the pool used.
            _names = members.Select(m => options.VirtualMtas.Keys.First(k => k.Equals(m.VirtualMta, StringComparison.OrdinalIgnoreCase))).ToArray();
            _weights = members.Select(m => m.Weight).ToArray();
            _current = new int[members.Length];
            _total = _weights.Sum();
        }

        public string Next()
        {
            lock (_lock)
            {
                int best = 0;
                for (int i = 0; i < _current.Length; i++)
                {
                    _current[i] += _weights[i];
                    if (_current[i] > _current[best]) best = i;
                }
                _current[best] -= _total;
                return _names[best];
            }
        }
    }
}
