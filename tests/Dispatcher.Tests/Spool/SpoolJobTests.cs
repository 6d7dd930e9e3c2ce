using Pipeline.Dispatcher.Spool;

namespace Pipeline.Dispatcher.Tests.Spool;

/// <summary>Job ids (X-Job, chosen by the submitter) in the spool's index: known while a live message carries one or
/// it is paused, forgotten after, their numbers reused, so a stream of distinct job ids does not grow the index.</summary>
public sealed class SpoolJobTests : IAsyncLifetime
{
    private readonly SpoolFixture _spool = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _spool.DisposeAsync();

    private static int Add(SpoolIndex index, string? job) =>
        index.AddMessage(Guid.NewGuid(), 0, 0, 100, 1, index.JobOf(job));

    [Fact]
    public void A_job_is_forgotten_with_its_last_message_and_its_number_reused()
    {
        var index = new SpoolIndex();
        var first = Add(index, "spring");
        var second = Add(index, "spring");
        var spring = index.Message(first).Job;
        Assert.Equal(1, index.JobCount);

        index.RemoveMessage(first);
        Assert.Equal(1, index.JobCount);
        Assert.Equal("spring", index.JobName(index.Message(second).Job));
        index.RemoveMessage(second);
        Assert.Equal(0, index.JobCount);

        var autumn = Add(index, "autumn");
        Assert.Equal(spring, index.Message(autumn).Job);
        Assert.Equal("autumn", index.JobName(spring));
        Assert.Equal(1, index.JobCount);
    }

    [Fact]
    public void A_paused_job_stays_known_without_messages_until_resumed()
    {
        var index = new SpoolIndex();
        Assert.True(index.HoldJob("spring"));
        var message = Add(index, "spring");
        index.RemoveMessage(message);

        Assert.True(index.IsJobHeld("spring"));
        Assert.Equal(1, index.JobCount);
        Assert.Equal(0, index.ReleaseJob("spring"));
        Assert.Equal(0, index.JobCount);
        Assert.False(index.IsJobHeld("spring"));
    }

    [Fact]
    public async Task Ended_messages_free_their_jobs_live_and_after_recovery()
    {
        var spool = _spool.Open();
        foreach (var job in new[] { "a", "b", "c" })
            await spool.StoreAsync(SpoolFixture.Message($"r@{job}.test") with { JobId = job }, CancellationToken.None);
        Assert.Equal(3, spool.JobCount);

        // Job a's message ends; b's and c's stay.
        var work = spool.TakeDue(10).Single(w => w.Message.JobId == "a");
        await spool.CompleteAsync([new RecipientCompletion(work.Recipients[0].Handle, new RecipientStatus(RecipientState.Delivered, 1, 0))],
            CancellationToken.None);
        Assert.Equal(2, spool.JobCount);

        // Recovery replays a's message and its removal: a is not known again.
        spool = await _spool.ReopenAsync();
        Assert.Equal(2, spool.JobCount);
    }
}
