using Pipeline.Shared.Configuration;

namespace Pipeline.Dispatcher.Tests.Routing;

public sealed class RetryScheduleTests
{
    [Fact]
    public void The_schedule_steps_through_and_repeats_its_last_wait()
    {
        var policy = DomainPolicy.BuiltIn.Overlay(new DomainOptions { RetryAfter = "5m, 15m,1h" });
        Assert.Equal(new[] { 5, 15, 60, 60 }.Select(m => TimeSpan.FromMinutes(m)), Enumerable.Range(1, 4).Select(policy.RetryDelay));
        Assert.Equal(TimeSpan.FromMinutes(5), policy.RetryAfter);
    }
}
