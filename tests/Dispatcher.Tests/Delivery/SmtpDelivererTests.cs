using System.Net;
using System.Text;
using Pipeline.Contracts;
using Pipeline.Dispatcher.Delivery;
using Pipeline.Dispatcher.Tests.Support;

namespace Pipeline.Dispatcher.Tests.Delivery;

/// <summary>Real SMTP sessions from the deliverer to a <see cref="ScriptedSmtpServer"/> reached through a Route.</summary>
public sealed class SmtpDelivererTests : IAsyncLifetime
{
    private const string Domain = "example.test";
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(60));
    private ScriptedSmtpServer? _server;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        _timeout.Dispose();
    }

    private async Task<IReadOnlyList<RecipientResult>> DeliverAsync(SmtpScript script, IReadOnlyList<string> recipients,
        string virtualMta = "mta1", string content = TestPipeline.DefaultContent)
    {
        _server = new ScriptedSmtpServer(script);
        var options = TestPipeline.Options(null, (Domain, _server.Route));
        var message = TestPipeline.Message(recipients, virtualMta, content: content);
        return await TestPipeline.Deliverer(options).DeliverAsync(message, Domain, recipients, _timeout.Token);
    }

    private SmtpSession Session => Assert.Single(_server!.Sessions);

    private static IReadOnlyList<string> Ehlo(bool pipelining) => pipelining
        ? ["250-mx.scripted.test", "250-PIPELINING", "250-SIZE 10485760", "250 ENHANCEDSTATUSCODES"]
        : ["250-mx.scripted.test", "250-SIZE 10485760", "250 ENHANCEDSTATUSCODES"];

    [Fact]
    public async Task Accepted_message_is_delivered_with_the_reply_text()
    {
        var results = await DeliverAsync(new SmtpScript { DataEndReply = "250 2.0.0 Ok: queued as 4Xyz" }, ["rcpt@example.test"]);

        var result = Assert.Single(results);
        Assert.Equal("rcpt@example.test", result.Recipient);
        Assert.Equal(DeliveryOutcome.Delivered, result.Outcome);
        Assert.Equal(250, result.SmtpCode);
        Assert.Equal("2.0.0", result.EnhancedStatus);
        Assert.Contains("queued as 4Xyz", result.Diagnostic);
        Assert.Equal("127.0.0.1", result.RemoteIp);
        Assert.Equal("127.0.0.1", result.RemoteMta);
        Assert.Equal("sender@example.com", Session.MailFrom);
        Assert.Equal(["rcpt@example.test"], Session.Recipients);
        Assert.Equal("QUIT", Session.Commands[^1]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Each_recipient_keeps_its_own_rcpt_reply(bool pipelining)
    {
        var script = new SmtpScript
        {
            EhloReply = Ehlo(pipelining),
            RcptReplies = new Dictionary<string, string> { ["unknown@example.test"] = "550 5.1.1 <unknown@example.test>: user unknown" },
        };

        var results = await DeliverAsync(script, ["unknown@example.test", "known@example.test"]);

        Assert.Equal(2, results.Count);
        var failed = Assert.Single(results, r => r.Recipient == "unknown@example.test");
        Assert.Equal(DeliveryOutcome.Failed, failed.Outcome);
        Assert.Equal(550, failed.SmtpCode);
        Assert.Equal("5.1.1", failed.EnhancedStatus);
        Assert.Contains("user unknown", failed.Diagnostic);
        var delivered = Assert.Single(results, r => r.Recipient == "known@example.test");
        Assert.Equal(DeliveryOutcome.Delivered, delivered.Outcome);
        Assert.Equal(250, delivered.SmtpCode);
        // The accepted recipient still got the message.
        Assert.NotNull(Session.Data);
    }

    [Fact]
    public async Task A_temporary_rcpt_refusal_defers_with_its_enhanced_status()
    {
        var script = new SmtpScript
        {
            RcptReplies = new Dictionary<string, string> { ["grey@example.test"] = "451 4.7.1 greylisted, try again later" },
        };

        var results = await DeliverAsync(script, ["grey@example.test"]);

        var result = Assert.Single(results);
        Assert.Equal(DeliveryOutcome.Deferred, result.Outcome);
        Assert.Equal(451, result.SmtpCode);
        Assert.Equal("4.7.1", result.EnhancedStatus);
        Assert.Contains("greylisted", result.Diagnostic);
        Assert.Null(Session.Data);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task When_every_rcpt_is_refused_each_keeps_its_own_reply(bool pipelining)
    {
        var script = new SmtpScript
        {
            EhloReply = Ehlo(pipelining),
            RcptReplies = new Dictionary<string, string>
            {
                ["grey@example.test"] = "451 4.7.1 greylisted",
                ["gone@example.test"] = "550 5.1.1 no such user",
            },
        };

        var results = await DeliverAsync(script, ["grey@example.test", "gone@example.test"]);

        Assert.Equal(2, results.Count);
        var grey = Assert.Single(results, r => r.Recipient == "grey@example.test");
        Assert.Equal((DeliveryOutcome.Deferred, 451, "4.7.1"), (grey.Outcome, grey.SmtpCode, grey.EnhancedStatus));
        var gone = Assert.Single(results, r => r.Recipient == "gone@example.test");
        Assert.Equal((DeliveryOutcome.Failed, 550, "5.1.1"), (gone.Outcome, gone.SmtpCode, gone.EnhancedStatus));
        Assert.Null(Session.Data);
    }

    [Theory]
    [InlineData("550 5.7.1 sender blocked", DeliveryOutcome.Failed, 550, "5.7.1")]
    [InlineData("421 4.7.0 too many connections from your IP", DeliveryOutcome.Deferred, 421, "4.7.0")]
    public async Task A_refused_mail_from_decides_for_every_recipient(string reply, DeliveryOutcome outcome, int code, string status)
    {
        var results = await DeliverAsync(new SmtpScript { MailReply = reply }, ["a@example.test", "b@example.test"]);

        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.Equal((outcome, code, status), (r.Outcome, r.SmtpCode, r.EnhancedStatus)));
        Assert.Empty(Session.Recipients);
    }

    [Fact]
    public async Task A_refused_data_command_fails_every_recipient()
    {
        var results = await DeliverAsync(new SmtpScript { DataReply = "554 5.7.1 transaction refused by policy" },
            ["a@example.test", "b@example.test"]);

        Assert.Equal(["a@example.test", "b@example.test"], results.Select(r => r.Recipient).Order());
        Assert.All(results, r =>
        {
            Assert.Equal(DeliveryOutcome.Failed, r.Outcome);
            Assert.Equal(554, r.SmtpCode);
            Assert.Equal("5.7.1", r.EnhancedStatus);
            Assert.Contains("refused by policy", r.Diagnostic);
        });
        Assert.Null(Session.Data);
    }

    [Theory]
    [InlineData("554 5.6.0 content rejected", DeliveryOutcome.Failed, 554, "5.6.0")]
    [InlineData("452 4.3.1 insufficient system storage", DeliveryOutcome.Deferred, 452, "4.3.1")]
    public async Task The_reply_after_the_data_decides_for_every_recipient(string reply, DeliveryOutcome outcome, int code, string status)
    {
        var results = await DeliverAsync(new SmtpScript { DataEndReply = reply }, ["a@example.test", "b@example.test"]);

        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.Equal((outcome, code, status), (r.Outcome, r.SmtpCode, r.EnhancedStatus)));
        Assert.NotNull(Session.Data);
    }

    [Theory]
    [InlineData("554 5.7.1 you are not welcome here", DeliveryOutcome.Failed, 554)]
    [InlineData("421 4.3.2 too busy, come back later", DeliveryOutcome.Deferred, 421)]
    public async Task A_refusing_greeting_decides_for_every_recipient(string greeting, DeliveryOutcome outcome, int code)
    {
        var results = await DeliverAsync(new SmtpScript { Greeting = greeting }, ["a@example.test", "b@example.test"]);

        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.Equal((outcome, code), (r.Outcome, r.SmtpCode)));
    }

    [Fact]
    public async Task A_closed_port_defers_every_recipient_with_4_4_1()
    {
        var closed = FreePort.Next();
        var options = TestPipeline.Options(null, (Domain, $"127.0.0.1:{closed}"));
        var message = TestPipeline.Message(["a@example.test", "b@example.test"]);

        var results = await TestPipeline.Deliverer(options).DeliverAsync(message, Domain, message.Recipients, _timeout.Token);

        Assert.Equal(2, results.Count);
        Assert.All(results, r =>
        {
            Assert.Equal(DeliveryOutcome.Deferred, r.Outcome);
            Assert.Equal(0, r.SmtpCode);
            Assert.Equal("4.4.1", r.EnhancedStatus);
            Assert.Contains("127.0.0.1", r.Diagnostic);
            Assert.Contains($":{closed}", r.Diagnostic);
        });
    }

    [Fact]
    public async Task A_domain_that_does_not_exist_fails_without_a_connection()
    {
        var options = TestPipeline.Options();
        var message = TestPipeline.Message(["a@nxdomain.test"]);

        var results = await TestPipeline.Deliverer(options).DeliverAsync(message, "nxdomain.test", message.Recipients, _timeout.Token);

        var result = Assert.Single(results);
        Assert.Equal(DeliveryOutcome.Failed, result.Outcome);
        Assert.Equal("5.1.2", result.EnhancedStatus);
        Assert.Contains("NXDOMAIN", result.Diagnostic);
    }

    [Fact]
    public async Task The_connection_leaves_from_the_virtual_mta_source_ip_with_its_host_name()
    {
        var results = await DeliverAsync(new SmtpScript(), ["rcpt@example.test"], virtualMta: "mta2");

        Assert.Equal(DeliveryOutcome.Delivered, Assert.Single(results).Outcome);
        Assert.Equal(IPAddress.Parse("127.0.0.2"), Session.Remote.Address);
        Assert.Equal("mta2.example.test", Session.EhloName);
    }

    [Fact]
    public async Task The_default_virtual_mta_says_its_own_name_from_its_own_address()
    {
        await DeliverAsync(new SmtpScript(), ["rcpt@example.test"], virtualMta: "mta1");

        Assert.Equal(IPAddress.Parse("127.0.0.1"), Session.Remote.Address);
        Assert.Equal("mta1.example.test", Session.EhloName);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_receiver_gets_the_content_byte_for_byte(bool signed)
    {
        var dkim = signed
            ? "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=s1;\r\n\th=from:to:subject; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=AAAA\r\n"
            : "";
        var content = dkim +
            "From: Sender <sender@example.com>\r\n" +
            "To: rcpt@example.test\r\n" +
            "Subject: a folded\r\n subject\r\n" +
            "Message-ID: <m1@example.com>\r\n" +
            "\r\n" +
            "First line\r\n" +
            ".a line starting with a dot\r\n" +
            "..two dots\r\n" +
            ".\r\n" +
            "  indented line with trailing space \r\n" +
            "\r\n" +
            "last line\r\n";

        var results = await DeliverAsync(new SmtpScript(), ["rcpt@example.test"], content: content);

        Assert.Equal(DeliveryOutcome.Delivered, Assert.Single(results).Outcome);
        Assert.Equal(content, Encoding.UTF8.GetString(Session.Data!));
    }
}
