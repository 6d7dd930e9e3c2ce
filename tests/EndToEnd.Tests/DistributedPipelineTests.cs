using System.Text;
using Pipeline.EndToEnd.Tests.Infrastructure;

namespace Pipeline.EndToEnd.Tests;

/// <summary>The four services as separate processes over the real RabbitMQ, delivering to a real SMTP receiver.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class DistributedPipelineTests
{
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Message_sent_by_smtp_arrives_dkim_signed_and_is_accounted_as_delivered()
    {
        await using var sink = await SmtpSink.StartAsync();
        using var config = new PipelineTestConfig(sink.Port);
        var publicKey = config.CreateKey();
        var configFile = config.Write();

        await using var services = await PipelineProcesses.StartAsync(config, configFile);

        var subject = $"distributed {Guid.NewGuid():N}";
        var message = SmtpSubmission.NewMessage(subject);
        var messageId = message.MessageId!;
        var reply = await SmtpSubmission.SendAsync(config.SmtpPort, message);
        Assert.StartsWith("2.0.0 Ok: queued as", reply);

        // The accounting record follows the receiver's 250, which smtp-sink sends once its dump file is whole: waiting
        // only for the file to exist could read it half written.
        await TestEnvironment.WaitUntilAsync(
            () => Task.FromResult(config.AccountingLines().Any(l => l.Contains(messageId))), DeliveryTimeout,
            $"the message at the receiver and its accounting record\n{services}");
        var received = Assert.Single(sink.Messages());
        Assert.Contains(subject, Encoding.Latin1.GetString(received));
        // The message left from the VirtualMTA's source IP with its EHLO name.
        var dump = Assert.Single(sink.Dumps());
        Assert.Contains("X-Client-Addr: 127.0.0.1", dump);
        Assert.Contains($"X-Helo-Args: {config.VirtualMta}.example.test", dump);

        var (valid, selector, domain) = await DkimCheck.VerifyAsync(received, publicKey);
        Assert.Equal(("example.test", config.Selector), (domain, selector));
        Assert.True(valid, "DKIM signature does not verify:\n" + Encoding.Latin1.GetString(received));

        await TestEnvironment.WaitUntilAsync(
            () => Task.FromResult(config.AccountingLines().Any(l => l.Contains(messageId))), DeliveryTimeout,
            $"the accounting record\n{services}");
        var lines = config.AccountingLines();
        Assert.StartsWith("type,timeLogged,", lines[0]);
        var record = Assert.Single(lines, l => l.Contains(messageId));
        Assert.StartsWith("d,", record);
        Assert.Contains("user@example.test", record);
        Assert.Contains(config.VirtualMta, record);
    }
}
