using Pipeline.Contracts;
using Pipeline.Dispatcher.Management;
using Pipeline.Dispatcher.Spool;
using Pipeline.Dispatcher.Tests.Support;

namespace Pipeline.Dispatcher.Tests.Management;

/// <summary>Pause, resume, delete and retry through the <see cref="QueueManager"/>, as the HTTP API calls them.</summary>
public sealed class QueueManagerTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private ManagementHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await ManagementHarness.StartAsync(_data.Path);

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        _data.Dispose();
    }

    private async Task<MessageSigned> StoreAsync(string? job, params string[] recipients)
    {
        var message = TestPipeline.Message(recipients, acceptedAt: _harness.Clock.GetUtcNow()) with { JobId = job };
        await _harness.Spool.StoreAsync(message, CancellationToken.None);
        return message;
    }

    private static List<string> Addresses(IEnumerable<DueDelivery> work) => [.. work.SelectMany(w => w.Recipients).Select(r => r.Address).Order()];

    [Fact]
    public async Task Deleting_a_queue_ends_each_waiting_recipient_once_with_an_administrative_failure()
    {
        var first = await StoreAsync("spring", "a@x.test", "b@y.test");
        await StoreAsync("autumn", "c@x.test");

        var deleted = await _harness.Manager.DeleteAsync("mta1", "x.test", null, CancellationToken.None);

        Assert.Equal(2, deleted);
        var events = _harness.Events.Published<DeliveryAttempted>();
        Assert.Equal(["a@x.test", "c@x.test"], events.Select(e => e.Recipient).Order());
        Assert.All(events, e =>
        {
            Assert.Equal(DeliveryOutcome.Failed, e.Outcome);
            Assert.Equal(QueueManager.DeletedStatus, e.EnhancedStatus);
            Assert.Equal(QueueManager.DeletedReason, e.Diagnostic);
            Assert.Equal(QueueManager.DeletedReason, e.Administrative);
            Assert.Equal(0, e.SmtpCode);
            Assert.Equal(0, e.AttemptNumber);
        });
        Assert.Equal("spring", events.Single(e => e.Recipient == "a@x.test").JobId);
        Assert.Equal(first.MessageId, events.Single(e => e.Recipient == "a@x.test").MessageId);
        // Gone from the queue for good: a second delete finds nothing, the other domain is untouched.
        Assert.Equal(0, await _harness.Manager.DeleteAsync("mta1", "x.test", null, CancellationToken.None));
        Assert.Equal(2, _harness.Events.Published<DeliveryAttempted>().Count);
        Assert.Equal(["y.test"], _harness.Spool.Inspect().Select(c => c.Domain));
        Assert.Equal(["b@y.test"], Addresses(_harness.Spool.TakeDue(10)));
    }

    [Fact]
    public async Task A_delete_cut_short_puts_what_it_took_and_did_not_end_back_in_the_queue()
    {
        await StoreAsync(null, "a@x.test");
        await StoreAsync(null, "b@x.test");
        await StoreAsync(null, "c@x.test");
        _harness.Events.FailNext = new InvalidOperationException("broker gone (test)");

        var failure = await Assert.ThrowsAsync<DeleteIncompleteException>(() => _harness.Manager.DeleteAsync("mta1", "x.test", null, CancellationToken.None));

        Assert.Equal(0, failure.Deleted);
        Assert.IsType<InvalidOperationException>(failure.InnerException);
        // The first item was recorded before its event failed; the two others wait again, none is left in flight.
        var counts = Assert.Single(_harness.Spool.Inspect());
        Assert.Equal((2, 0), (counts.Queued, counts.InFlight));
        Assert.Equal(2, await _harness.Manager.DeleteAsync("mta1", "x.test", null, CancellationToken.None));
        Assert.Empty(_harness.Spool.Inspect());
    }

    [Fact]
    public async Task Deleting_a_job_takes_its_paused_recipients_too_and_nothing_of_other_jobs()
    {
        await StoreAsync("spring", "a@x.test", "b@y.test");
        await StoreAsync("autumn", "c@x.test");
        await _harness.Manager.PauseAsync(PauseTarget.Job("spring"), CancellationToken.None);
        Assert.Equal(["c@x.test"], Addresses(_harness.Spool.TakeDue(10)));

        Assert.Equal(2, await _harness.Manager.DeleteAsync(null, null, "spring", CancellationToken.None));
        Assert.Equal(["a@x.test", "b@y.test"], _harness.Events.Published<DeliveryAttempted>().Select(e => e.Recipient).Order());
        Assert.Equal(0, await _harness.Manager.DeleteAsync(null, null, "no-such-job", CancellationToken.None));
    }

    [Fact]
    public async Task A_paused_queue_keeps_its_recipients_until_resumed_and_the_pause_outlasts_a_restart()
    {
        var store = _harness.Store;
        await StoreAsync(null, "a@x.test", "b@y.test");
        Assert.True(await _harness.Manager.PauseAsync(PauseTarget.Queue("MTA1", "X.test"), CancellationToken.None));
        Assert.False(await _harness.Manager.PauseAsync(PauseTarget.Queue("mta1", "x.test"), CancellationToken.None));
        Assert.Equal(["b@y.test"], Addresses(_harness.Spool.TakeDue(10)));

        // A new Dispatcher process on the same spool and pause store: the pause holds before its first take.
        await _harness.DisposeAsync();
        _harness = await ManagementHarness.StartAsync(_data.Path, store);
        var due = _harness.Spool.TakeDue(10);
        Assert.Equal(["b@y.test"], Addresses(due));
        Assert.Contains(_harness.Synchronizer.Applied, t => t.Key == "queue:mta1/x.test");

        Assert.True(await _harness.Manager.ResumeAsync(PauseTarget.Queue("mta1", "x.test"), CancellationToken.None));
        Assert.False(await _harness.Manager.ResumeAsync(PauseTarget.Queue("mta1", "x.test"), CancellationToken.None));
        Assert.Equal(["a@x.test"], Addresses(_harness.Spool.TakeDue(10)));
    }

    [Fact]
    public async Task A_pause_kept_in_Redis_holds_in_a_restarted_Dispatcher_with_a_new_connection()
    {
        var key = $"test:{Guid.NewGuid():N}:pauses";
        await using var before = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(Traffic.TrafficStores.RedisAddress);
        try
        {
            await _harness.DisposeAsync();
            _harness = await ManagementHarness.StartAsync(_data.Path, new RedisPauseStore(before, key));
            await StoreAsync(null, "a@x.test", "b@y.test");
            await _harness.Manager.PauseAsync(PauseTarget.Queue("mta1", "x.test"), CancellationToken.None);

            await _harness.DisposeAsync();
            await using var after = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(Traffic.TrafficStores.RedisAddress);
            _harness = await ManagementHarness.StartAsync(_data.Path, new RedisPauseStore(after, key));
            Assert.Equal(["b@y.test"], Addresses(_harness.Spool.TakeDue(10)));
            await _harness.Manager.ResumeAsync(PauseTarget.Queue("mta1", "x.test"), CancellationToken.None);
            Assert.Equal(["a@x.test"], Addresses(_harness.Spool.TakeDue(10)));
            await _harness.DisposeAsync();
            _harness = await ManagementHarness.StartAsync(_data.Path);
        }
        finally
        {
            await before.GetDatabase().KeyDeleteAsync(key);
        }
    }

    [Fact]
    public async Task A_pause_made_through_another_worker_holds_here_at_the_next_sync()
    {
        await StoreAsync(null, "a@x.test");
        // Another Dispatcher wrote it to the shared store; this one has not looked yet.
        await _harness.Store.AddAsync(new Pause(PauseTarget.WholeVirtualMta("mta1"), _harness.Clock.GetUtcNow()), CancellationToken.None);
        await _harness.Synchronizer.SyncAsync(CancellationToken.None);
        Assert.Empty(_harness.Spool.TakeDue(10));
        Assert.Null(_harness.Spool.NextDueAt);

        await _harness.Store.RemoveAsync(PauseTarget.WholeVirtualMta("mta1"), CancellationToken.None);
        await _harness.Synchronizer.SyncAsync(CancellationToken.None);
        Assert.Equal(["a@x.test"], Addresses(_harness.Spool.TakeDue(10)));
    }

    [Fact]
    public async Task Retry_now_makes_a_queues_deferred_recipients_due()
    {
        await StoreAsync(null, "a@x.test", "b@y.test");
        foreach (var work in _harness.Spool.TakeDue(10))
            await _harness.Engine.RecordAsync(work, [.. work.Recipients.Select(r => new Pipeline.Dispatcher.Delivery.RecipientResult(r.Address, DeliveryOutcome.Deferred, 451, "4.3.0", "try later", "mx", "127.0.0.1"))],
                _harness.Spool, _harness.Events, null, CancellationToken.None);
        Assert.Empty(_harness.Spool.TakeDue(10));

        Assert.Equal(1, _harness.Manager.RetryNow(_harness.Spool, "x.test"));
        var due = _harness.Spool.TakeDue(10);
        Assert.Equal(["a@x.test"], Addresses(due));
        Assert.Equal(1, due[0].Recipients[0].AttemptsSoFar);
    }
}
