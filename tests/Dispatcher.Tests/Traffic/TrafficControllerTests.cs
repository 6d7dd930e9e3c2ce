using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Dispatcher.Traffic;
using Pipeline.Shared.Configuration;

namespace Pipeline.Dispatcher.Tests.Traffic;

/// <summary>The traffic decisions on the local store with a settable clock (the Redis store behaves the same, see
/// <see cref="TrafficStoreTests"/>).</summary>
public sealed class TrafficControllerTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private readonly ManualTimeProvider _clock = new(Start);
    private readonly PipelineOptions _options = new();

    public TrafficControllerTests()
    {
        _options.VirtualMtas["mta1"] = new VirtualMtaOptions { SourceIp = "127.0.0.2", HostName = "mta1.example.test", SourceIpMaxSmtpOut = 3 };
        _options.VirtualMtas["fresh"] = new VirtualMtaOptions
        {
            SourceIp = "127.0.0.3", HostName = "fresh.example.test", WarmUp = [3, 5], WarmUpStart = "2026-11-27",
        };
    }

    private TrafficController Controller(LocalTrafficStore store) =>
        new(store, new BackoffRules([]), new WarmUpSchedule(_options, store, _clock), _options, _clock, NullLogger<TrafficController>.Instance);

    private static DomainPolicy Policy(int maxSmtpOut = 10, string rate = "unlimited") => DomainPolicy.BuiltIn with
    {
        MaxSmtpOut = maxSmtpOut,
        MaxMsgRate = MessageRate.Parse(rate),
        BackoffMaxSmtpOut = 1,
        BackoffMaxMsgRate = MessageRate.Parse("1/h"),
        BackoffToNormalAfter = TimeSpan.FromMinutes(10),
        BackoffRetryAfter = TimeSpan.FromHours(1),
    };

    [Fact]
    public async Task A_throttling_reply_enters_backoff_which_ends_after_BackoffToNormalAfter()
    {
        var controller = Controller(new LocalTrafficStore(_clock));
        var reason = await controller.ObserveReplyAsync("mta1", "google.com", Policy(), 421, "4.7.28",
            "4.7.28 Our system has detected an unusual rate of unsolicited mail", default);
        Assert.NotNull(reason);
        Assert.True((await controller.ModeAsync("mta1", "google.com", default)).InBackoff);
        // Another queue is not affected.
        Assert.False((await controller.ModeAsync("mta1", "outlook.com", default)).InBackoff);

        _clock.UtcNow = Start.AddMinutes(9);
        Assert.True((await controller.ModeAsync("mta1", "google.com", default)).InBackoff);
        _clock.UtcNow = Start.AddMinutes(11);
        Assert.False((await controller.ModeAsync("mta1", "google.com", default)).InBackoff);
    }

    [Fact]
    public async Task An_ordinary_refusal_does_not_enter_backoff()
    {
        var controller = Controller(new LocalTrafficStore(_clock));
        Assert.Null(await controller.ObserveReplyAsync("mta1", "google.com", Policy(), 550, "5.1.1", "5.1.1 user unknown", default));
        Assert.False((await controller.ModeAsync("mta1", "google.com", default)).InBackoff);
    }

    [Fact]
    public async Task Backoff_mode_lowers_connections_rate_and_lengthens_the_retry()
    {
        var controller = Controller(new LocalTrafficStore(_clock));
        var policy = Policy(maxSmtpOut: 5, rate: "100/s");
        await controller.EnterBackoffAsync("mta1", "d.test", "signal", TimeSpan.FromMinutes(10), default);

        var first = await controller.TryOpenConnectionAsync("mta1", "d.test", policy, default);
        var second = await controller.TryOpenConnectionAsync("mta1", "d.test", policy, default);
        Assert.NotNull(first.Permit);
        Assert.Null(second.Permit);
        Assert.True((await controller.TryTakeMessageAsync("mta1", "d.test", policy, default)).Allowed);
        Assert.False((await controller.TryTakeMessageAsync("mta1", "d.test", policy, default)).Allowed);
        Assert.Equal(TimeSpan.FromHours(1), await controller.RetryDelayAsync("mta1", "d.test", policy, 1, default));
        await first.Permit!.DisposeAsync();
    }

    [Fact]
    public async Task The_source_ip_connection_limit_holds_across_domains()
    {
        var controller = Controller(new LocalTrafficStore(_clock));
        var permits = new List<ConnectionPermit>();
        foreach (var group in new[] { "a.test", "b.test", "a.test", "b.test" })
        {
            if ((await controller.TryOpenConnectionAsync("mta1", group, Policy(), default)).Permit is { } permit) permits.Add(permit);
        }
        Assert.Equal(3, permits.Count); // SourceIpMaxSmtpOut = 3, although each domain allows 10

        await permits[0].DisposeAsync();
        Assert.NotNull((await controller.TryOpenConnectionAsync("mta1", "c.test", Policy(), default)).Permit);
    }

    [Fact]
    public async Task Warm_up_caps_each_day_and_opens_the_next_day()
    {
        var controller = Controller(new LocalTrafficStore(_clock));
        var decisions = new List<RateDecision>();
        for (int i = 0; i < 4; i++) decisions.Add(await controller.TryTakeMessageAsync("fresh", "a.test", Policy(), default));
        Assert.Equal([true, true, true, false], decisions.Select(d => d.Allowed));
        Assert.Equal(TimeSpan.FromHours(14), decisions[3].RetryAfter); // until midnight UTC

        _clock.UtcNow = Start.AddDays(1);
        var nextDay = 0;
        for (int i = 0; i < 7; i++) nextDay += (await controller.TryTakeMessageAsync("fresh", "a.test", Policy(), default)).Allowed ? 1 : 0;
        Assert.Equal(5, nextDay);

        _clock.UtcNow = Start.AddDays(2); // past the schedule: no cap
        for (int i = 0; i < 20; i++) Assert.True((await controller.TryTakeMessageAsync("fresh", "a.test", Policy(), default)).Allowed);
    }

    [Fact]
    public async Task The_queue_message_rate_meters_sends()
    {
        var controller = Controller(new LocalTrafficStore(_clock));
        var policy = Policy(rate: "2/s");
        Assert.True((await controller.TryTakeMessageAsync("mta1", "a.test", policy, default)).Allowed);
        var refused = await controller.TryTakeMessageAsync("mta1", "a.test", policy, default);
        Assert.False(refused.Allowed);
        Assert.Equal(TimeSpan.FromMilliseconds(500), refused.RetryAfter);
        _clock.UtcNow = Start.AddMilliseconds(500);
        Assert.True((await controller.TryTakeMessageAsync("mta1", "a.test", policy, default)).Allowed);
    }
}
