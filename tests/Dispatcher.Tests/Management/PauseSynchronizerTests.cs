using Pipeline.Dispatcher.Management;
using Pipeline.Dispatcher.Spool;
using Pipeline.Dispatcher.Tests.Support;

namespace Pipeline.Dispatcher.Tests.Management;

/// <summary>The synchronizer against a pause store that is slow or away: a late periodic read never undoes a pause
/// made here, a start without the store holds everything until it answers, and a pause that cannot put some
/// buffered work back still puts back the rest.</summary>
public sealed class PauseSynchronizerTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private readonly ScriptedPauseStore _store = new();
    private ManagementHarness? _harness;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_harness is not null) await _harness.DisposeAsync();
        _data.Dispose();
    }

    private async Task<ManagementHarness> StartAsync() => _harness = await ManagementHarness.StartAsync(_data.Path, _store);

    private static async Task StoreAsync(ManagementHarness harness, params string[] recipients) =>
        await harness.Spool.StoreAsync(TestPipeline.Message(recipients, acceptedAt: harness.Clock.GetUtcNow()), CancellationToken.None);

    private static List<string> Addresses(IEnumerable<DueDelivery> work) => [.. work.SelectMany(w => w.Recipients).Select(r => r.Address).Order()];

    [Fact]
    public async Task A_periodic_sync_that_read_the_store_before_a_pause_does_not_release_it()
    {
        var harness = await StartAsync();
        await StoreAsync(harness, "a@x.test");
        var target = PauseTarget.Queue("mta1", "x.test");

        // The periodic sync reads the store (no pause yet) and its answer is slow to arrive ...
        var late = _store.DelayNextList();
        var periodic = harness.Synchronizer.SyncAsync(CancellationToken.None);
        // ... meanwhile an operator pauses the queue here, then the old answer lands.
        var pause = harness.Manager.PauseAsync(target, CancellationToken.None);
        late.SetResult();
        await Task.WhenAll(periodic, pause);

        Assert.Equal([target.Key], harness.Synchronizer.Applied.Select(t => t.Key));
        Assert.Empty(harness.Spool.TakeDue(10));
    }

    [Fact]
    public async Task Without_the_pause_store_at_start_every_spool_is_held_until_it_answers()
    {
        _store.Unreachable = true;
        var harness = await StartAsync();
        await StoreAsync(harness, "a@x.test");

        Assert.Empty(harness.Spool.TakeDue(10));
        Assert.Null(harness.Spool.NextDueAt);

        _store.Unreachable = false;
        await harness.Synchronizer.SyncAsync(CancellationToken.None);
        Assert.Equal(["a@x.test"], Addresses(harness.Spool.TakeDue(10)));
    }

    [Fact]
    public async Task A_VirtualMta_paused_in_the_store_stays_held_when_the_store_first_answers_after_a_start_without_it()
    {
        var target = PauseTarget.WholeVirtualMta("mta1");
        await _store.AddAsync(new Pause(target, DateTimeOffset.UnixEpoch), CancellationToken.None);
        _store.Unreachable = true;
        var harness = await StartAsync();
        await StoreAsync(harness, "a@x.test");
        Assert.Empty(harness.Spool.TakeDue(10));

        _store.Unreachable = false;
        await harness.Synchronizer.SyncAsync(CancellationToken.None);
        Assert.Empty(harness.Spool.TakeDue(10));

        Assert.True(await harness.Manager.ResumeAsync(target, CancellationToken.None));
        Assert.Equal(["a@x.test"], Addresses(harness.Spool.TakeDue(10)));
    }

    [Fact]
    public async Task A_pause_puts_back_every_buffered_work_it_can_when_one_cannot_go_back()
    {
        var harness = await StartAsync();
        await StoreAsync(harness, "a@x.test");
        await StoreAsync(harness, "b@x.test");
        var work = harness.Spool.TakeDue(10);
        var queue = harness.Queues.For(harness.Spool, "x.test");
        // Draining first: Enqueue starts no worker, the work just sits buffered as a throttled queue's would.
        await queue.DrainAsync();
        // A first item whose recipient the spool does not know: putting it back throws.
        queue.Enqueue(work[0] with { Recipients = [new DueRecipient("ghost@x.test", int.MaxValue, 0)] }, CancellationToken.None);
        foreach (var item in work) queue.Enqueue(item, CancellationToken.None);

        await Assert.ThrowsAsync<IndexOutOfRangeException>(() => harness.Manager.PauseAsync(PauseTarget.Queue("mta1", "x.test"), CancellationToken.None));

        // The hold is in force and the real work waits in the spool again, not in flight until a restart.
        Assert.Equal(0, queue.Buffered);
        var counts = Assert.Single(harness.Spool.Inspect());
        Assert.Equal((2, 0), (counts.Queued, counts.InFlight));
        Assert.Empty(harness.Spool.TakeDue(10));
    }
}
