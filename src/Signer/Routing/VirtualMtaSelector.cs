using Pipeline.Shared.Configuration;

namespace Pipeline.Signer.Routing;

/// <summary>Picks the concrete VirtualMTA a message leaves from: the one it names, or the next member of the pool
/// it names (the default pool when it names none), round robin. This happens before the dispatch queue, because
/// each VirtualMTA's queue is consumed by the Dispatcher that holds its source IP.</summary>
public sealed class VirtualMtaSelector(PipelineOptions options)
{
    private readonly Dictionary<string, Rotation> _pools = options.Pools.ToDictionary(
        p => p.Key, p => new Rotation(p.Value.ToArray()), StringComparer.OrdinalIgnoreCase);

    /// <summary>The VirtualMTA for a requested name, or null when the name is neither a VirtualMTA nor a pool.</summary>
    public string? Select(string? requested)
    {
        var name = string.IsNullOrEmpty(requested) ? PipelineOptions.DefaultPool : requested;
        if (options.VirtualMtas.ContainsKey(name))
            return options.VirtualMtas.Keys.First(k => k.Equals(name, StringComparison.OrdinalIgnoreCase));
        return _pools.TryGetValue(name, out var pool) ? pool.Next() : null;
    }

    private sealed class Rotation(string[] members)
    {
        private int _next = -1;

        // Interlocked: consumers run concurrently; wrap-around of the counter is harmless with the unsigned modulo.
        public string Next() => members[(int)((uint)Interlocked.Increment(ref _next) % (uint)members.Length)];
    }
}
