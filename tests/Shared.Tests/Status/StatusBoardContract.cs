using Pipeline.Shared.Status;

namespace Pipeline.Shared.Tests.Status;

/// <summary>What every status board must do, run against each implementation (in process, Redis).</summary>
public abstract class StatusBoardContract
{
    protected static readonly DateTimeOffset Start = new(2026, 11, 27, 10, 15, 30, TimeSpan.Zero);
    protected ManualTimeProvider Clock { get; } = new(Start);

    protected abstract IStatusBoard Board(int recentEvents = 50);

    private static OutcomeRecorded Outcome(string type, DateTimeOffset at, string recipient = "jane.doe@example.com", string? category = "bad-mailbox") =>
        new(type, at, recipient, type == StatusCounter.Delivered ? null : category, type == StatusCounter.Delivered ? "2.0.0" : "5.1.1",
            "mta1", "smtp;550 5.1.1 <jane.doe@example.com>: user unknown");

    private static QueueSnapshotRow Row(string domain, long queued) => new("mta1", domain, domain, queued, 1, 0, Start.AddMinutes(-3),
        "normal", null, 1, 2, 0, "250 2.0.0 Ok", null, Start);

    [Fact]
    public async Task Totals_and_per_minute_counts_add_up_by_outcome()
    {
        var board = Board();
        await board.RecordAcceptedAsync(3, Start, default);
        await board.RecordAcceptedAsync(2, Start.AddMinutes(1), default);
        foreach (var type in new[] { "d", "d", "t", "b", "rb", "f" }) await board.RecordOutcomeAsync(Outcome(type, Start), default);
        await board.RecordOutcomeAsync(Outcome("d", Start.AddMinutes(1)), default);

        var overview = await board.ReadAsync(Start.AddMinutes(1), 3, default);

        Assert.Equal(5, overview.Totals["accepted"]);
        Assert.Equal(3, overview.Totals["d"]);
        Assert.Equal((1L, 1L, 1L, 1L), (overview.Totals["t"], overview.Totals["b"], overview.Totals["rb"], overview.Totals["f"]));
        Assert.Equal([Start.AddMinutes(-1).AddSeconds(-30), Start.AddSeconds(-30), Start.AddMinutes(1).AddSeconds(-30)],
            overview.Minutes.Select(m => m.Minute));
        Assert.Equal([0L, 3L, 2L], overview.Minutes.Select(m => m["accepted"]));
        Assert.Equal([0L, 2L, 1L], overview.Minutes.Select(m => m["d"]));
        Assert.Equal(1, overview.Minutes[1]["f"]);
    }

    [Fact]
    public async Task Bounce_categories_count_bounces_only()
    {
        var board = Board();
        await board.RecordOutcomeAsync(Outcome("b", Start, category: "bad-mailbox"), default);
        await board.RecordOutcomeAsync(Outcome("rb", Start, category: "bad-mailbox"), default);
        await board.RecordOutcomeAsync(Outcome("b", Start, category: "spam-related"), default);
        await board.RecordOutcomeAsync(Outcome("t", Start, category: "quota-issues"), default);

        var overview = await board.ReadAsync(Start, 1, default);

        Assert.Equal(2, overview.BounceCategories.Count);
        Assert.Equal(2, overview.BounceCategories["bad-mailbox"]);
        Assert.Equal(1, overview.BounceCategories["spam-related"]);
    }

    [Fact]
    public async Task Recent_bounces_and_complaints_are_capped_newest_first_and_masked()
    {
        var board = Board(recentEvents: 3);
        await board.RecordOutcomeAsync(Outcome("d", Start, "delivered@example.com"), default);
        for (int i = 0; i < 5; i++) await board.RecordOutcomeAsync(Outcome(i % 2 == 0 ? "b" : "f", Start.AddSeconds(i), $"user{i}@Example.COM"), default);

        var recent = (await board.ReadAsync(Start, 1, default)).Recent;

        Assert.Equal(3, recent.Count);
        Assert.Equal([Start.AddSeconds(4), Start.AddSeconds(3), Start.AddSeconds(2)], recent.Select(r => r.At));
        Assert.Equal("u***@example.com", recent[0].Recipient);
        Assert.DoesNotContain(recent, r => r.Recipient.Contains("user", StringComparison.Ordinal));
        Assert.Equal(("b", "bad-mailbox", "5.1.1", "mta1"), (recent[0].Type, recent[0].Category, recent[0].Status, recent[0].VirtualMta));
        Assert.Equal("f", recent[1].Type);
    }

    [Fact]
    public async Task A_worker_snapshot_is_replaced_by_the_next_and_disappears_when_it_stops_publishing()
    {
        var board = Board();
        await board.PublishQueuesAsync(new DispatcherSnapshot("worker-a", Start, ["mta1"], [Row("example.test", 5)]), TimeSpan.FromSeconds(15), default);
        await board.PublishQueuesAsync(new DispatcherSnapshot("worker-b", Start, ["mta2"], [Row("example.org", 1)]), TimeSpan.FromSeconds(15), default);
        await board.PublishQueuesAsync(new DispatcherSnapshot("worker-a", Start, ["mta1"], [Row("example.test", 7), Row("example.net", 2)]),
            TimeSpan.FromSeconds(15), default);

        var both = (await board.ReadAsync(Start, 1, default)).Dispatchers;
        Assert.Equal(["worker-a", "worker-b"], both.Select(d => d.Worker));
        Assert.Equal([7L, 2L], both[0].Queues.Select(q => q.Queued));
        Assert.Equal(Row("example.test", 7), both[0].Queues[0]);

        // worker-b stops; worker-a goes on publishing.
        Clock.UtcNow = Start.AddSeconds(10);
        await board.PublishQueuesAsync(new DispatcherSnapshot("worker-a", Clock.UtcNow, ["mta1"], [Row("example.test", 1)]), TimeSpan.FromSeconds(15), default);
        Clock.UtcNow = Start.AddSeconds(16);

        var left = (await board.ReadAsync(Clock.UtcNow, 1, default)).Dispatchers;
        Assert.Equal("worker-a", Assert.Single(left).Worker);
    }

    [Fact]
    public async Task An_empty_board_reads_as_zeros()
    {
        var overview = await Board().ReadAsync(Start, 5, default);
        Assert.Empty(overview.Totals);
        Assert.Equal(5, overview.Minutes.Count);
        Assert.All(overview.Minutes, m => Assert.Equal(0, m["d"]));
        Assert.Empty(overview.Recent);
        Assert.Empty(overview.Dispatchers);
        Assert.Null(overview.Error);
    }
}
