using Pipeline.Dispatcher.Management;

namespace Pipeline.Dispatcher.Tests.Management;

public sealed class PauseTargetTests
{
    [Theory]
    [InlineData("queue:mta1/example.com")]
    [InlineData("vmta:mta1")]
    [InlineData("job:Spring-Sale:2026")]
    public void A_key_reads_back_as_the_same_target(string key) => Assert.Equal(key, PauseTarget.FromKey(key)!.Key);

    [Theory]
    [InlineData("queue:mta1")]
    [InlineData("queue:/x.com")]
    [InlineData("pool:default")]
    [InlineData("job:")]
    [InlineData("nothing")]
    public void An_unknown_or_broken_key_is_not_a_target(string key) => Assert.Null(PauseTarget.FromKey(key));

    [Fact]
    public void Queue_and_VirtualMta_names_are_case_insensitive_job_ids_are_not()
    {
        Assert.Equal("queue:mta1/example.com", PauseTarget.Queue("MTA1", "Example.COM").Key);
        Assert.True(PauseTarget.Queue("mta1", "example.com").Holds("MTA1", "EXAMPLE.com", null));
        Assert.True(PauseTarget.WholeVirtualMta("mta1").Holds("mta1", "any.test", "job"));
        Assert.True(PauseTarget.Job("Spring").Holds("mta2", "any.test", "Spring"));
        Assert.False(PauseTarget.Job("Spring").Holds("mta2", "any.test", "spring"));
        Assert.False(PauseTarget.Job("Spring").Holds("mta2", "any.test", null));
    }
}
