using Pipeline.Dispatcher.Spool;

namespace Pipeline.Dispatcher.Tests.Spool;

/// <summary>Operator holds inside the spool: a paused domain, VirtualMTA or job keeps its recipients queued and out of
/// every take (and out of NextDueAt, so the scheduler does not spin on them); releasing makes them due at once; an
/// operator's delete takes waiting recipients whatever their state; retry-now moves deferred ones.</summary>
public sealed class SpoolHoldTests : IAsyncLifetime
{
    private readonly SpoolFixture _spool = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _spool.DisposeAsync();

    private static Contracts.MessageSigned Message(string? job, params string[] recipients) => SpoolFixture.Message(recipients) with { JobId = job };

    private static List<string> Addresses(IEnumerable<DueDelivery> work) => [.. work.SelectMany(w => w.Recipients).Select(r => r.Address).Order()];

    [Fact]
    public async Task A_held_domain_stays_queued_while_others_are_taken_and_is_due_at_once_when_released()
    {
        var spool = _spool.Open();
        await spool.StoreAsync(Message(null, "a@held.test", "b@other.test"), CancellationToken.None);

        Assert.True(spool.HoldDomain("HELD.test"));
        Assert.False(spool.HoldDomain("held.test"));
        Assert.Equal(["b@other.test"], Addresses(spool.TakeDue(10)));
        Assert.Empty(spool.TakeDue(10));
        // Nothing else waits: the held domain does not make the scheduler wake up for it.
        Assert.Null(spool.NextDueAt);
        Assert.Equal(1, spool.Inspect().Single(c => c.Domain == "held.test").Queued);

        Assert.True(spool.ReleaseDomain("held.test"));
        Assert.False(spool.ReleaseDomain("held.test"));
        Assert.Equal(SpoolFixture.Start, spool.NextDueAt);
        Assert.Equal(["a@held.test"], Addresses(spool.TakeDue(10)));
    }

    [Fact]
    public async Task A_message_stored_for_a_held_domain_waits_too()
    {
        var spool = _spool.Open();
        spool.HoldDomain("held.test");
        await spool.StoreAsync(Message(null, "a@held.test"), CancellationToken.None);

        Assert.Empty(spool.TakeDue(10));
        Assert.Null(spool.NextDueAt);
        spool.ReleaseDomain("held.test");
        Assert.Equal(["a@held.test"], Addresses(spool.TakeDue(10)));
    }

    [Fact]
    public async Task A_held_spool_gives_nothing_until_released()
    {
        var spool = _spool.Open();
        await spool.StoreAsync(Message(null, "a@one.test", "b@two.test"), CancellationToken.None);

        spool.HoldAll(true);
        Assert.Empty(spool.TakeDue(10));
        Assert.Null(spool.NextDueAt);
        spool.HoldAll(false);
        Assert.Equal(["a@one.test", "b@two.test"], Addresses(spool.TakeDue(10)));
    }

    [Fact]
    public async Task A_held_job_is_parked_while_other_jobs_go_and_comes_back_when_released_also_after_a_restart()
    {
        var spool = _spool.Open();
        await spool.StoreAsync(Message("spring", "a@one.test", "b@two.test"), CancellationToken.None);
        await spool.StoreAsync(Message("autumn", "c@one.test"), CancellationToken.None);
        await spool.StoreAsync(Message(null, "d@one.test"), CancellationToken.None);

        Assert.True(spool.HoldJob("spring"));
        Assert.Equal(["c@one.test", "d@one.test"], Addresses(spool.TakeDue(10)));
        Assert.Empty(spool.TakeDue(10));
        Assert.True(spool.ReleaseJob("spring"));
        Assert.False(spool.ReleaseJob("spring"));
        Assert.Equal(["a@one.test", "b@two.test"], Addresses(spool.TakeDue(10)));

        // The job is read back from the records at recovery, so a hold after a restart finds its recipients.
        spool = await _spool.ReopenAsync();
        spool.HoldJob("spring");
        Assert.Equal(["c@one.test", "d@one.test"], Addresses(spool.TakeDue(10)));
        spool.ReleaseJob("spring");
        Assert.Equal(["a@one.test", "b@two.test"], Addresses(spool.TakeDue(10)));
    }

    [Fact]
    public async Task Take_where_takes_every_waiting_recipient_of_a_domain_deferred_or_parked_and_nothing_in_flight()
    {
        var spool = _spool.Open();
        await spool.StoreAsync(Message("spring", "a@x.test", "b@y.test"), CancellationToken.None);
        await spool.StoreAsync(Message("spring", "c@x.test"), CancellationToken.None);
        await spool.StoreAsync(Message("autumn", "d@x.test"), CancellationToken.None);
        // d's job is held (d is parked at the take), c is being delivered, a and b wait for a retry.
        spool.HoldJob("autumn");
        var inFlight = spool.TakeDue(10).SelectMany(w => w.Recipients).ToList();
        Assert.Equal(["a@x.test", "b@y.test", "c@x.test"], inFlight.Select(r => r.Address).Order());
        var c = inFlight.Single(r => r.Address == "c@x.test");
        await spool.CompleteAsync([.. inFlight.Where(r => r.Address is "a@x.test" or "b@y.test")
            .Select(r => new RecipientCompletion(r.Handle, new RecipientStatus(RecipientState.Deferred, 1, SpoolFixture.Start.AddHours(1).UtcTicks)))],
            CancellationToken.None);

        var taken = spool.TakeWhere("x.test", null);

        Assert.Equal(["a@x.test", "d@x.test"], Addresses(taken));
        Assert.DoesNotContain(taken.SelectMany(w => w.Recipients), r => r.Handle == c.Handle);
        await spool.CompleteAsync([.. taken.SelectMany(w => w.Recipients).Select(r => new RecipientCompletion(r.Handle,
            new RecipientStatus(RecipientState.Failed, (ushort)r.AttemptsSoFar, SpoolFixture.Start.UtcTicks)))], CancellationToken.None);
        spool.ReleaseJob("autumn");
        Assert.Empty(spool.TakeDue(10));
        Assert.Empty(spool.TakeWhere("x.test", null));
        Assert.Equal(1, spool.Inspect().Single(q => q.Domain == "x.test").InFlight);
        Assert.Equal(["b@y.test"], Addresses(spool.TakeWhere(null, "spring")));
    }

    [Fact]
    public async Task Retry_now_makes_deferred_recipients_of_one_domain_due_and_only_untried_ones_when_asked()
    {
        var spool = _spool.Open();
        await spool.StoreAsync(Message(null, "a@x.test", "b@x.test", "c@y.test"), CancellationToken.None);
        var work = spool.TakeDue(10).SelectMany(w => w.Recipients).ToDictionary(r => r.Address);
        var later = SpoolFixture.Start.AddHours(1).UtcTicks;
        // a was refused for now (one attempt); b and c were postponed by a rate wait (no attempt).
        await spool.CompleteAsync([
            new RecipientCompletion(work["a@x.test"].Handle, new RecipientStatus(RecipientState.Deferred, 1, later)),
            new RecipientCompletion(work["b@x.test"].Handle, new RecipientStatus(RecipientState.Deferred, 0, later)),
            new RecipientCompletion(work["c@y.test"].Handle, new RecipientStatus(RecipientState.Deferred, 0, later))], CancellationToken.None);

        Assert.Equal(1, spool.RetryNow("x.test", onlyUntried: true));
        Assert.Equal(["b@x.test"], Addresses(spool.TakeDue(10)));
        Assert.Equal(1, spool.RetryNow("X.test"));
        Assert.Equal(["a@x.test"], Addresses(spool.TakeDue(10)));
        Assert.Equal(0, spool.RetryNow("x.test"));
        Assert.Equal(SpoolFixture.Start.AddHours(1), spool.NextDueAt);
    }

    [Fact]
    public async Task Describe_tells_each_recipients_state_and_pause()
    {
        var spool = _spool.Open();
        var message = Message("spring", "a@x.test", "b@y.test");
        await spool.StoreAsync(message, CancellationToken.None);
        spool.HoldDomain("y.test");
        var a = spool.TakeDue(10).SelectMany(w => w.Recipients).Single();

        var described = spool.Describe(message.MessageId)!;

        Assert.Equal("spring", described.JobId);
        Assert.Equal(("in-flight", false), (described.Recipients[0].State, described.Recipients[0].Paused));
        Assert.Equal(("queued", true), (described.Recipients[1].State, described.Recipients[1].Paused));
        await spool.CompleteAsync([new RecipientCompletion(a.Handle, new RecipientStatus(RecipientState.Delivered, 1, 0))], CancellationToken.None);
        Assert.Equal("delivered", spool.Describe(message.MessageId)!.Recipients[0].State);
        Assert.Null(spool.Describe(Guid.NewGuid()));
    }
}
