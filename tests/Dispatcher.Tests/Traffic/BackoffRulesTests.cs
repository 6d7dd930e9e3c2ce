using Pipeline.Dispatcher.Traffic;

namespace Pipeline.Dispatcher.Tests.Traffic;

public sealed class BackoffRulesTests
{
    private readonly BackoffRules _rules = new(["^451 4\\.7\\.1 .*greylisted"]);

    [Theory]
    [InlineData(421, "4.7.28", "4.7.28 [192.0.2.55] Our system has detected an unusual rate of unsolicited mail originating from your IP address.")]
    [InlineData(421, "4.7.0", "4.7.0 [TSS04] Messages from 192.0.2.55 temporarily deferred due to unexpected volume or user complaints")]
    [InlineData(451, "4.7.650", "4.7.650 The mail server [192.0.2.55] has been temporarily rate limited due to IP reputation.")]
    [InlineData(421, "4.7.0", "4.7.0 Try again later, closing connection.")]
    [InlineData(450, "4.0.0", "Too many connections from your IP")]
    [InlineData(554, "5.7.1", "5.7.1 Service unavailable; Client host [192.0.2.55] blocked using zen.spamhaus.org")]
    [InlineData(451, "4.7.1", "4.7.1 you are greylisted, come back later")]
    public void Throttling_and_reputation_replies_put_the_queue_into_backoff(int code, string status, string text) =>
        Assert.NotNull(_rules.Match(code, status, text));

    [Theory]
    [InlineData(250, "2.0.0", "2.0.0 Ok: queued as 12345")]
    [InlineData(550, "5.1.1", "5.1.1 <nobody@example.com>: Recipient address rejected: User unknown")]
    [InlineData(452, "4.2.2", "4.2.2 The email account that you tried to reach is over quota.")]
    [InlineData(451, "4.3.0", "4.3.0 Temporary local problem")]
    public void Ordinary_replies_do_not(int code, string status, string text) =>
        Assert.Null(_rules.Match(code, status, text));

    [Fact]
    public void Operator_patterns_name_themselves_in_the_reason() =>
        Assert.Contains("greylisted", _rules.Match(451, "4.7.1", "4.7.1 you are greylisted")!);
}
