using Pipeline.Dispatcher.Management;
using Pipeline.Dispatcher.Traffic;
using Pipeline.Shared.Configuration;

namespace Pipeline.Dispatcher.Tests.Traffic;

/// <summary>The warm-up cap as a reload leaves it half-way: a schedule whose start is gone (being removed) caps
/// nothing, in delivery and in the overview, instead of failing the delivery.</summary>
public sealed class WarmUpScheduleTests
{
    private static readonly DateTimeOffset Today = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private readonly ManualTimeProvider _clock = new(Today);
    private readonly PipelineOptions _options = new();

    public WarmUpScheduleTests() =>
        _options.VirtualMtas["fresh"] = new VirtualMtaOptions
        {
            SourceIp = "127.0.0.3", HostName = "fresh.example.test", WarmUp = [1, 5], WarmUpStart = "2026-11-27",
        };

    [Fact]
    public async Task A_schedule_without_its_start_caps_nothing()
    {
        var schedule = new WarmUpSchedule(_options, new LocalTrafficStore(_clock), _clock);
        Assert.True((await schedule.TryTakeAsync("fresh", CancellationToken.None)).Allowed);
        Assert.False((await schedule.TryTakeAsync("fresh", CancellationToken.None)).Allowed);
        Assert.Equal(1, OverviewEndpoints.WarmUpCap(_options.VirtualMtas["fresh"], DateOnly.FromDateTime(Today.UtcDateTime)));

        // A reload removing the schedule has taken the start away, not yet the days.
        _options.VirtualMtas["fresh"].WarmUpStart = null;

        Assert.Equal(RateDecision.Allow, await schedule.TryTakeAsync("fresh", CancellationToken.None));
        Assert.Null(OverviewEndpoints.WarmUpCap(_options.VirtualMtas["fresh"], DateOnly.FromDateTime(Today.UtcDateTime)));
    }
}
