using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Contracts;
using Pipeline.Dispatcher.Delivery;
using Pipeline.Dispatcher.Tests.Support;
using Pipeline.Shared.Configuration;

namespace Pipeline.Dispatcher.Tests.Delivery;

/// <summary>Connections kept open across messages, as MaxMsgPerConnection allows.</summary>
public sealed class OutboundSessionTests
{
    private static OutboundConnector Connector(PipelineOptions options) =>
        new(TestPipeline.Resolver(options), new DomainPolicies(options), options, new MxHostHealth(), NullLogger<OutboundConnector>.Instance);

    [Fact]
    public async Task One_connection_carries_several_transactions()
    {
        await using var server = new ScriptedSmtpServer();
        var options = TestPipeline.Options(null, ("example.test", server.Route));
        var (opened, failure) = await Connector(options).OpenAsync("mta1", "example.test", default);
        Assert.Null(failure);
        var session = Assert.IsType<OutboundSession>(opened);
        await using (session)
        {
            for (int i = 0; i < 3; i++)
            {
                var result = Assert.Single(await session.SendAsync(TestPipeline.Message([$"r{i}@example.test"]), [$"r{i}@example.test"], default));
                Assert.Equal(DeliveryOutcome.Delivered, result.Outcome);
            }
            Assert.Equal(3, session.Transactions);
            Assert.True(session.IsUsable);
        }
        var seen = Assert.Single(server.Sessions);
        Assert.Equal(3, seen.Commands.Count(c => c.StartsWith("MAIL", StringComparison.OrdinalIgnoreCase)));
        Assert.Equal("QUIT", seen.Commands[^1]);
    }

    [Fact]
    public async Task A_refused_transaction_leaves_the_connection_usable_for_the_next()
    {
        await using var server = new ScriptedSmtpServer(new SmtpScript
        {
            RcptReplies = new Dictionary<string, string> { ["bad@example.test"] = "550 5.1.1 no such user" },
        });
        var options = TestPipeline.Options(null, ("example.test", server.Route));
        var session = Assert.IsType<OutboundSession>((await Connector(options).OpenAsync("mta1", "example.test", default)).Session);
        await using (session)
        {
            Assert.Equal(DeliveryOutcome.Failed, Assert.Single(await session.SendAsync(TestPipeline.Message(["bad@example.test"]), ["bad@example.test"], default)).Outcome);
            Assert.True(session.IsUsable);
            Assert.Equal(DeliveryOutcome.Delivered, Assert.Single(await session.SendAsync(TestPipeline.Message(["good@example.test"]), ["good@example.test"], default)).Outcome);
        }
        Assert.Single(server.Sessions);
    }

    [Fact]
    public async Task A_greeting_refusal_is_the_answer_for_the_domain()
    {
        await using var server = new ScriptedSmtpServer(new SmtpScript { Greeting = "554 5.7.1 mx.scripted.test: your IP is blocked" });
        var options = TestPipeline.Options(null, ("example.test", server.Route));
        var (session, failure) = await Connector(options).OpenAsync("mta1", "example.test", default);
        Assert.Null(session);
        Assert.Equal(DeliveryOutcome.Failed, failure!.Outcome);
        Assert.Equal("5.7.1", failure.EnhancedStatus);
    }
}
