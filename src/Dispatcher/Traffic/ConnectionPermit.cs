namespace Pipeline.Dispatcher.Traffic;

/// <summary>Permission to hold one open connection: leases in the shared store, renewed in the background for as
/// long as the connection lives, released on dispose. If this process dies the leases expire by themselves.</summary>
public sealed class ConnectionPermit : IAsyncDisposable
{
    private readonly ITrafficStore _store;
    private readonly IReadOnlyList<ConnectionSlot> _slots;
    private readonly string _leaseId;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewing;

    internal ConnectionPermit(ITrafficStore store, IReadOnlyList<ConnectionSlot> slots, string leaseId, TimeSpan lease, TimeProvider clock)
    {
        _store = store;
        _slots = slots;
        _leaseId = leaseId;
        _renewing = RenewAsync(lease, clock);
    }

    private async Task RenewAsync(TimeSpan lease, TimeProvider clock)
    {
        // Renew at a third of the lease: two renewals may fail (a Redis hiccup) before the slot is lost.
        using var timer = new PeriodicTimer(lease / 3, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
                await _store.RenewAsync(_slots, _leaseId, lease, _stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Disposed: the connection is closed.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _renewing.ConfigureAwait(false);
        _stop.Dispose();
        await _store.ReleaseAsync(_slots, _leaseId, CancellationToken.None).ConfigureAwait(false);
    }
}
