using System.Collections.Concurrent;
using Pipeline.Dispatcher.Spool;

namespace Pipeline.Dispatcher.Delivery;

/// <summary>Every <see cref="DomainQueue"/> of this Dispatcher, by VirtualMTA and destination domain, created when
/// a domain first has due work.</summary>
public sealed class DeliveryQueues(DeliveryServices services)
{
    private readonly ConcurrentDictionary<(string VirtualMta, string Domain), DomainQueue> _queues = new();

    public DomainQueue For(IDeliveryQueue spool, string domain) =>
        _queues.GetOrAdd((spool.VirtualMta.ToLowerInvariant(), domain.ToLowerInvariant()), key => new DomainQueue(spool.VirtualMta, key.Domain, spool, services));

    /// <summary>True when the domain's queue can take more work (or does not exist yet).</summary>
    public bool HasRoom(string virtualMta, string domain) =>
        !_queues.TryGetValue((virtualMta.ToLowerInvariant(), domain.ToLowerInvariant()), out var queue) || queue.HasRoom;

    public IReadOnlyCollection<DomainQueue> All => [.. _queues.Values];

    /// <summary>Stops every queue from starting transactions and waits for those under way.</summary>
    public Task DrainAsync() => Task.WhenAll(_queues.Values.Select(q => q.DrainAsync()));
}
