using Pipeline.Dispatcher.Spool;

namespace Pipeline.Dispatcher.Tests.Spool;

/// <summary>The spool as a queue: due order, deferrals, idempotent stores, group commit, inspection, compaction.</summary>
public sealed class SpoolQueueTests : IAsyncLifetime
{
    private readonly SpoolFixture _spool = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _spool.DisposeAsync();

    private static RecipientCompletion Deferred(DueRecipient r, DateTimeOffset until) =>
        new(r.Handle, new RecipientStatus(RecipientState.Deferred, (ushort)(r.AttemptsSoFar + 1), until.UtcTicks));

    private static RecipientCompletion Delivered(DueRecipient r) =>
        new(r.Handle, new RecipientStatus(RecipientState.Delivered, (ushort)(r.AttemptsSoFar + 1), 0));

    [Fact]
    public async Task Deferred_recipients_come_back_earliest_first_across_domains_and_not_before_their_time()
    {
        var spool = _spool.Open();
        var message = SpoolFixture.Message("a@one.test", "b@two.test", "c@three.test");
        await spool.StoreAsync(message, CancellationToken.None);
        var first = spool.TakeDue(10).SelectMany(w => w.Recipients).ToDictionary(r => r.Address);
        Assert.Equal(3, first.Count);
        var t0 = SpoolFixture.Start;
        await spool.CompleteAsync(
            [Deferred(first["a@one.test"], t0.AddMinutes(30)), Deferred(first["b@two.test"], t0.AddMinutes(10)), Deferred(first["c@three.test"], t0.AddMinutes(20))],
            CancellationToken.None);

        Assert.Empty(spool.TakeDue(10));
        Assert.Equal(t0.AddMinutes(10), spool.NextDueAt);
        _spool.Clock.UtcNow = t0.AddMinutes(25);
        var due = spool.TakeDue(1);
        Assert.Equal("two.test", Assert.Single(due).Domain);
        due = spool.TakeDue(10);
        Assert.Equal("three.test", Assert.Single(due).Domain);
        Assert.Equal(1, due[0].Recipients[0].AttemptsSoFar);
        Assert.Empty(spool.TakeDue(10));
        Assert.Equal(t0.AddMinutes(30), spool.NextDueAt);
    }

    [Fact]
    public async Task Recipients_of_one_message_and_domain_come_as_one_piece_of_work_with_the_body_from_the_spool()
    {
        var spool = _spool.Open();
        var message = SpoolFixture.Message(5000, "a@one.test", "b@ONE.test", "c@two.test");
        await spool.StoreAsync(message, CancellationToken.None);

        var work = spool.TakeDue(10).OrderBy(w => w.Domain).ToList();

        Assert.Equal(["one.test", "two.test"], work.Select(w => w.Domain));
        Assert.Equal(["a@one.test", "b@ONE.test"], work[0].Message.Recipients);
        Assert.Equal(message.Content, work[0].Message.Content);
        Assert.Equal(message.MessageId, work[1].Message.MessageId);
        Assert.Equal(message.AcceptedAt, work[1].Message.AcceptedAt);
    }

    [Fact]
    public async Task A_message_whose_recipients_are_all_final_is_removed()
    {
        var spool = _spool.Open();
        var message = SpoolFixture.Message("a@one.test", "b@two.test");
        await spool.StoreAsync(message, CancellationToken.None);
        var due = spool.TakeDue(10).SelectMany(w => w.Recipients).ToList();

        await spool.CompleteAsync([Delivered(due[0])], CancellationToken.None);
        Assert.NotNull(spool.Find(message.MessageId));
        await spool.CompleteAsync([new RecipientCompletion(due[1].Handle, new RecipientStatus(RecipientState.Failed, 1, 0))], CancellationToken.None);

        Assert.Null(spool.Find(message.MessageId));
        Assert.Equal((0, 0L), (spool.MessageCount, spool.RecipientCount));
        Assert.Empty(spool.Inspect());
    }

    [Fact]
    public async Task A_message_delivered_again_by_the_broker_is_stored_once()
    {
        var spool = _spool.Open();
        var message = SpoolFixture.Message("a@one.test");

        await spool.StoreAsync(message, CancellationToken.None);
        await spool.StoreAsync(message, CancellationToken.None);

        Assert.Equal(1, spool.MessageCount);
        Assert.Single(spool.TakeDue(10));
        spool = await _spool.ReopenAsync();
        Assert.Equal(1, spool.MessageCount);
    }

    [Fact]
    public async Task A_message_for_another_virtual_mta_is_refused()
    {
        var spool = _spool.Open();
        var message = SpoolFixture.Message("a@one.test") with { VirtualMta = "mta2" };
        var e = await Assert.ThrowsAsync<ArgumentException>(() => spool.StoreAsync(message, CancellationToken.None));
        Assert.Contains("mta2", e.Message);
    }

    [Fact]
    public async Task Concurrent_stores_share_flushes()
    {
        await using var fixture = new SpoolFixture { Settings = new SpoolSettings(1 << 20, TimeSpan.FromMilliseconds(50), 10_000) };
        var spool = fixture.Open();

        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => spool.StoreAsync(SpoolFixture.Message($"r{i}@one.test"), CancellationToken.None)));

        Assert.Equal(200, spool.MessageCount);
        Assert.Equal(200, spool.FlushedRecords);
        Assert.Equal(200, spool.TakeDue(1000).Count);
        Assert.True(spool.Flushes < 20, $"{spool.Flushes} flushes for 200 stores");
    }

    [Fact]
    public async Task A_message_is_not_due_before_it_is_on_the_device_even_if_its_storer_stopped_waiting()
    {
        // A flush only when two records wait (the interval is far away): the first store stays unflushed until the second.
        await using var fixture = new SpoolFixture { Settings = new SpoolSettings(1 << 20, TimeSpan.FromMinutes(10), 2) };
        var spool = fixture.Open();
        using var gaveUp = new CancellationTokenSource();
        var first = spool.StoreAsync(SpoolFixture.Message("a@one.test"), gaveUp.Token);
        gaveUp.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);

        Assert.Empty(spool.TakeDue(10));
        Assert.Equal(0, spool.Flushes);

        await spool.StoreAsync(SpoolFixture.Message("b@two.test"), CancellationToken.None);
        Assert.Equal(["one.test", "two.test"], spool.TakeDue(10).Select(w => w.Domain).Order());
    }

    [Fact]
    public async Task A_second_report_of_the_same_attempt_is_ignored()
    {
        var spool = _spool.Open();
        await spool.StoreAsync(SpoolFixture.Message("a@one.test", "b@one.test"), CancellationToken.None);
        var due = Assert.Single(spool.TakeDue(10)).Recipients;

        await spool.CompleteAsync([Delivered(due[0])], CancellationToken.None);
        await spool.CompleteAsync([Delivered(due[0])], CancellationToken.None);

        Assert.Equal((1, 1L), (spool.MessageCount, spool.RecipientCount));
        spool = await _spool.ReopenAsync();
        Assert.Equal((1, 1L), (spool.MessageCount, spool.RecipientCount));
    }

    [Fact]
    public async Task Inspection_counts_queued_deferred_and_in_flight_per_domain_with_the_oldest()
    {
        var spool = _spool.Open();
        var older = SpoolFixture.Message("a@one.test", "b@one.test") with { AcceptedAt = SpoolFixture.Start.AddHours(-3) };
        var newer = SpoolFixture.Message("c@one.test", "d@two.test");
        await spool.StoreAsync(older, CancellationToken.None);
        var due = spool.TakeDue(10).SelectMany(w => w.Recipients).ToDictionary(r => r.Address);
        await spool.CompleteAsync([Deferred(due["a@one.test"], SpoolFixture.Start.AddHours(1))], CancellationToken.None);
        await spool.StoreAsync(newer, CancellationToken.None);

        var counts = spool.Inspect().ToDictionary(c => c.Domain);

        Assert.Equal((1L, 1L, 1L), (counts["one.test"].Queued, counts["one.test"].Deferred, counts["one.test"].InFlight));
        Assert.Equal(SpoolFixture.Start.AddHours(-3), counts["one.test"].Oldest);
        Assert.Equal((1L, 0L, 0L), (counts["two.test"].Queued, counts["two.test"].Deferred, counts["two.test"].InFlight));
        Assert.Equal(SpoolFixture.Start, counts["two.test"].Oldest);
    }

    [Fact]
    public async Task Compaction_deletes_dead_segments_and_rewrites_a_mostly_dead_one_keeping_the_live_message_state()
    {
        var spool = _spool.Open();
        // 4 KB bodies in 64 KiB segments: about 15 messages a segment, 60 messages over several segments.
        var messages = Enumerable.Range(0, 60).Select(i => SpoolFixture.Message(4000, $"r{i}@one.test")).ToList();
        var traceParents = messages.Select((_, i) => $"00-{i + 1:x32}-{i + 1:x16}-01").ToList();
        for (int i = 0; i < messages.Count; i++) await spool.StoreAsync(messages[i], traceParents[i], CancellationToken.None);
        var due = spool.TakeDue(100).SelectMany(w => w.Recipients).ToList();
        Assert.Equal(60, due.Count);
        var survivor = due.Single(r => r.Address == "r3@one.test");
        await spool.CompleteAsync(due.Where(r => r != survivor).Select(Delivered).ToList(), CancellationToken.None);
        var retryAt = SpoolFixture.Start.AddHours(2);
        await spool.CompleteAsync([Deferred(survivor, retryAt)], CancellationToken.None);
        var before = spool.SegmentNumbers;
        Assert.True(before.Count >= 4, $"{before.Count} segments");

        await spool.CompactAsync(CancellationToken.None);
        await spool.CompactAsync(CancellationToken.None);

        var after = spool.SegmentNumbers;
        Assert.True(after.Count <= 2, $"segments left: {string.Join(", ", after)}");
        Assert.DoesNotContain(before[0], after);
        Assert.Equal(after.Count, _spool.SegmentFiles().Length);

        spool = await _spool.ReopenAsync();
        Assert.Equal((1, 1L), (spool.MessageCount, spool.RecipientCount));
        Assert.Equal(retryAt, spool.NextDueAt);
        _spool.Clock.UtcNow = retryAt;
        var work = Assert.Single(spool.TakeDue(10));
        Assert.Equal(messages[3].Content, work.Message.Content);
        // The rewritten copy keeps the trace its delivery continues.
        Assert.Equal(traceParents[3], work.TraceParent);
        Assert.Equal(1, work.Recipients[0].AttemptsSoFar);
    }

    [Fact]
    public async Task A_message_larger_than_a_segment_gets_a_segment_of_its_own()
    {
        var spool = _spool.Open();
        var big = SpoolFixture.Message(200_000, "a@one.test");

        await spool.StoreAsync(big, CancellationToken.None);
        spool = await _spool.ReopenAsync();

        Assert.Equal(big.Content, spool.Find(big.MessageId)!.Content);
    }
}
