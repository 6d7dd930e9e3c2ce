using System.Text;
using Pipeline.EndToEnd.Tests.Infrastructure;

namespace Pipeline.EndToEnd.Tests;

/// <summary>The standalone host: all four services in one process on the in-memory transport, as a newcomer runs it.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class StandaloneHostTests
{
    [Fact]
    public async Task Creates_the_demo_key_on_first_start_and_delivers_a_signed_message()
    {
        await using var sink = await SmtpSink.StartAsync();
        using var config = new PipelineTestConfig(sink.Port);
        // No ConnectionStrings: the standalone host needs no broker.
        config.Root.Remove("ConnectionStrings");
        var configFile = config.Write();
        Assert.False(File.Exists(config.KeyFile));

        await using var host = ServiceProcess.Start("Standalone", configFile);
        await host.WaitForHttpAsync(config.IngestHttpPort, "/healthz", TimeSpan.FromSeconds(60));
        Assert.True(File.Exists(config.KeyFile), "the demo DKIM key was not created");
        // The DNS record to publish is printed for the operator.
        Assert.Contains($"{config.Selector}._domainkey.example.test. IN TXT \"v=DKIM1; k=rsa; p=", host.Output);

        var subject = $"standalone {Guid.NewGuid():N}";
        var message = SmtpSubmission.NewMessage(subject);
        var messageId = message.MessageId!;
        Assert.StartsWith("2.0.0 Ok", await SmtpSubmission.SendAsync(config.SmtpPort, message));

        await TestEnvironment.WaitUntilAsync(() => Task.FromResult(sink.HasReceived(subject)), TimeSpan.FromSeconds(60), $"delivery\n{host}");
        var received = Assert.Single(sink.Messages());
        Assert.Contains(subject, Encoding.Latin1.GetString(received));
        var (valid, _, _) = await DkimCheck.VerifyAsync(received, DkimCheck.PublicKeyOfPem(config.KeyFile));
        Assert.True(valid, "DKIM signature does not verify");

        await TestEnvironment.WaitUntilAsync(() => Task.FromResult(config.AccountingLines().Any(l => l.Contains(messageId))),
            TimeSpan.FromSeconds(30), $"the accounting record\n{host}");
        Assert.StartsWith("d,", Assert.Single(config.AccountingLines(), l => l.Contains(messageId)));
    }

    [Fact]
    public async Task An_unreachable_receiver_is_accounted_as_transient_and_retried_until_delivered()
    {
        // The route's port has no listener at first: connection refused, a transient failure. Then a receiver
        // appears there and the retry (RetryAfter 2s in the test configuration) delivers.
        var receiverPort = FreePort.Next();
        using var config = new PipelineTestConfig(receiverPort);
        config.Root.Remove("ConnectionStrings");
        var configFile = config.Write();

        await using var host = ServiceProcess.Start("Standalone", configFile);
        await host.WaitForHttpAsync(config.IngestHttpPort, "/healthz", TimeSpan.FromSeconds(60));
        var message = SmtpSubmission.NewMessage($"deferred {Guid.NewGuid():N}");
        var messageId = message.MessageId!;
        Assert.StartsWith("2.0.0 Ok", await SmtpSubmission.SendAsync(config.SmtpPort, message));

        await TestEnvironment.WaitUntilAsync(() => Task.FromResult(config.AccountingLines().Any(l => l.StartsWith("t,") && l.Contains(messageId))),
            TimeSpan.FromSeconds(30), $"the t record\n{host}");
        var transient = AccountingCsv.Records(config.AccountingLines()).First(r => r["type"] == "t" && r["messageId"] == messageId);
        Assert.StartsWith("4.4.1", transient["dsnStatus"]);
        Assert.Equal("1", transient["attempt"]);

        await using var sink = await SmtpSink.StartAsync(receiverPort);
        await TestEnvironment.WaitUntilAsync(() => Task.FromResult(config.AccountingLines().Any(l => l.StartsWith("d,") && l.Contains(messageId))),
            TimeSpan.FromSeconds(30), $"the d record after the retry\n{host}");
        Assert.Single(sink.Messages());
        var delivered = Assert.Single(AccountingCsv.Records(config.AccountingLines()), r => r["type"] == "d" && r["messageId"] == messageId);
        Assert.NotEqual("1", delivered["attempt"]);
        // The retry from the spool continues the message's trace.
        Assert.Matches("^[0-9a-f]{32}$", delivered["traceId"]);
        Assert.Equal(transient["traceId"], delivered["traceId"]);
    }

    [Fact]
    public async Task A_hard_bounce_suppresses_the_recipient_for_the_next_message()
    {
        // The receiver knows no such user; the BounceProcessor classifies the 550 5.1.1 as a hard bounce and Ingest,
        // reading the same in-process list, refuses the recipient at RCPT from then on.
        await using var receiver = new CountingSmtpReceiver(_ => "550 5.1.1 <gone@example.test>: Recipient address rejected: User unknown");
        using var config = new PipelineTestConfig(receiver.Port);
        config.Root.Remove("ConnectionStrings");
        await using var host = ServiceProcess.Start("Standalone", config.Write());
        await host.WaitForHttpAsync(config.IngestHttpPort, "/healthz", TimeSpan.FromSeconds(60));

        var first = SmtpSubmission.NewMessage("first", "gone@example.test");
        Assert.StartsWith("2.0.0 Ok", await SmtpSubmission.SendAsync(config.SmtpPort, first));
        await TestEnvironment.WaitUntilAsync(() => Task.FromResult(config.AccountingLines().Any(l => l.StartsWith("b,") && l.Contains("gone@example.test"))),
            TimeSpan.FromSeconds(30), $"the b record\n{host}");

        var refusal = await Assert.ThrowsAsync<MailKit.Net.Smtp.SmtpCommandException>(() =>
            SmtpSubmission.SendAsync(config.SmtpPort, SmtpSubmission.NewMessage("second", "gone@example.test")));
        Assert.Equal(550, (int)refusal.StatusCode);
        Assert.Contains("suppression list", refusal.Message);
    }
}
