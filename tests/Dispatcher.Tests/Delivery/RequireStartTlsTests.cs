using Pipeline.Contracts;
using Pipeline.Dispatcher.Tests.Support;

namespace Pipeline.Dispatcher.Tests.Delivery;

/// <summary>Mandatory TLS per domain: never send in clear to a receiver that does not offer STARTTLS.</summary>
public sealed class RequireStartTlsTests
{
    [Fact]
    public async Task A_receiver_without_starttls_gets_no_mail_when_tls_is_required()
    {
        await using var server = new ScriptedSmtpServer(new SmtpScript());
        var options = TestPipeline.Options(null, ("example.test", server.Route));
        options.Domains["example.test"].RequireStartTls = true;
        var message = TestPipeline.Message(["rcpt@example.test"]);

        var result = Assert.Single(await TestPipeline.Deliverer(options).DeliverAsync(message, "example.test", ["rcpt@example.test"], default));

        Assert.Equal(DeliveryOutcome.Deferred, result.Outcome);
        Assert.Equal("4.7.10", result.EnhancedStatus);
        Assert.Contains("TLS is required", result.Diagnostic);
        // The session ended before any envelope: nothing went in clear.
        var session = Assert.Single(server.Sessions);
        Assert.Null(session.MailFrom);
        Assert.Null(session.Data);
    }
}
