using Pipeline.Shared.Status;

namespace Pipeline.Shared.Tests.Status;

public sealed class InProcessStatusBoardTests : StatusBoardContract
{
    protected override IStatusBoard Board(int recentEvents = 50) => new InProcessStatusBoard(Clock, recentEvents);

    [Fact]
    public async Task Minute_buckets_older_than_two_hours_are_dropped()
    {
        var board = new InProcessStatusBoard(Clock);
        await board.RecordAcceptedAsync(1, Start, default);
        Clock.UtcNow = Start.AddHours(3);
        await board.RecordAcceptedAsync(1, Clock.UtcNow, default);

        var overview = await board.ReadAsync(Start, 1, default);

        Assert.Equal(0, overview.Minutes[0]["accepted"]);
        Assert.Equal(2, overview.Totals["accepted"]);
    }

    [Theory]
    [InlineData("jane.doe@Example.com", "j***@example.com")]
    [InlineData("@example.com", "***@example.com")]
    [InlineData("postmaster", "***")]
    [InlineData("", "")]
    public void Recipients_are_masked_to_first_letter_and_domain(string recipient, string masked) =>
        Assert.Equal(masked, RecentEvent.Mask(recipient));
}
