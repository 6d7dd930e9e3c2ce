using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using MailKit.Net.Smtp;
using MimeKit;
using Pipeline.EndToEnd.Tests.Infrastructure;
using StackExchange.Redis;

namespace Pipeline.EndToEnd.Tests;

/// <summary>The BounceProcessor among the real services: a refusal from a real SMTP peer, an asynchronous DSN sent to
/// the VERP return path and an ARF complaint sent to the feedback address, each ending in its events, accounting
/// line and suppression entry.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class BounceProcessingTests
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(60);
    private const string ReturnPathDomain = "bounces.e2e.test";
    private const string FblAddress = "fbl@e2e.test";

    [Fact]
    public async Task Refusals_dsns_and_complaints_become_events_accounting_lines_and_suppressions()
    {
        await using var receiver = new RefusingReceiver();
        using var config = new PipelineTestConfig(receiver.Port);
        config.CreateKey();
        var prefix = $"e2e-{Guid.NewGuid():N}:";
        config.Root["Bounce"] = new System.Text.Json.Nodes.JsonObject { ["ReturnPathDomain"] = ReturnPathDomain, ["FblAddress"] = FblAddress };
        config.Root["BounceProcessor"]!["RedisPrefix"] = prefix;
        config.Root["BounceProcessor"]!["SentRetention"] = "1h";
        // Its own queues: other pipelines on the shared test broker must not take this test's events.
        config.Root["BounceProcessor"]!["QueuePrefix"] = $"e2e-{Guid.NewGuid():N}.";
        var configFile = config.Write();
        try
        {
            await using var bounceEvents = await FanoutListener.StartAsync("pipeline.events.bounce", config.RabbitMqUri);
            await using var feedbackEvents = await FanoutListener.StartAsync("pipeline.events.feedback", config.RabbitMqUri);
            await using var services = await PipelineProcesses.StartAsync(config, configFile);
            var logs = services.ToString();

            // 1. One message, two recipients: the receiver refuses one at RCPT TO with 550 5.1.1.
            var tag = Guid.NewGuid().ToString("N")[..8];
            var unknown = $"unknown-{tag}@example.test";
            var known = $"known-{tag}@example.test";
            var message = SmtpSubmission.NewMessage($"bounce e2e {tag}", unknown);
            message.To.Add(MailboxAddress.Parse(known));
            message.Headers.Add("X-Job", $"job-{tag}");
            Assert.StartsWith("2.0.0 Ok: queued as", await SmtpSubmission.SendAsync(config.SmtpPort, message));

            var bounced = await LineAsync(config, "b", unknown, logs);
            Assert.Equal("bad-mailbox", bounced["bounceCat"]);
            Assert.Equal(config.VirtualMta, bounced["vmta"]);
            var pipelineId = bounced["pipelineId"];
            await TestEnvironment.WaitUntilAsync(() => Task.FromResult(bounceEvents.Received.Any(e => (string?)e["recipient"] == unknown)),
                EventTimeout, $"BounceClassified on pipeline.events.bounce\n{logs}");
            var classified = bounceEvents.Received.First(e => (string?)e["recipient"] == unknown);
            Assert.Equal("bad-mailbox", (string?)classified["category"]);
            Assert.True((bool)classified["isHard"]!);
            Assert.Equal(550, (int)classified["smtpCode"]!);
            Assert.Equal($"job-{tag}", (string?)classified["jobId"]);
            Assert.Equal(pipelineId, Guid.Parse((string)classified["messageId"]!).ToString("N"));

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{config.BounceHttpPort}") };
            var suppressed = await http.GetAsync($"/suppressions/example.test/{unknown}");
            Assert.Equal(HttpStatusCode.OK, suppressed.StatusCode);
            Assert.Contains("bad-mailbox", await suppressed.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/suppressions/example.test/{known}")).StatusCode);
            var delivered = await LineAsync(config, "d", known, logs);
            Assert.Equal(pipelineId, delivered["pipelineId"]);

            // 2. Days later the accepted recipient's server bounces it after all: a DSN to the VERP return path.
            var verp = $"bounces+{pipelineId}.{RecipientTag(known)}@{ReturnPathDomain}";
            await SendAsync(config.SmtpPort, Dsn(known, verp, message.MessageId!), "mailer-daemon@mx.example.test", verp);
            var remote = await LineAsync(config, "rb", known, logs);
            Assert.Equal("quota-issues", remote["bounceCat"]);
            Assert.Equal(pipelineId, remote["pipelineId"]);
            Assert.Equal(config.VirtualMta, remote["vmta"]);
            Assert.Equal($"job-{tag}", remote["jobId"]);
            Assert.StartsWith("5.2.2", remote["dsnStatus"]);

            // 3. The recipient complains: an ARF report to the feedback address, mapped by the original Message-ID.
            await SendAsync(config.SmtpPort, Arf(known, message.MessageId!), "fbl-reports@isp.example.net", FblAddress);
            var complaint = await LineAsync(config, "f", known, logs);
            Assert.Equal(pipelineId, complaint["pipelineId"]);
            Assert.Equal($"job-{tag}", complaint["jobId"]);
            await TestEnvironment.WaitUntilAsync(() => Task.FromResult(feedbackEvents.Received.Any(e => (string?)e["originalRecipient"] == known)),
                EventTimeout, $"FeedbackReceived on pipeline.events.feedback\n{logs}");
            var feedback = feedbackEvents.Received.First(e => (string?)e["originalRecipient"] == known);
            Assert.Equal("abuse", (string?)feedback["feedbackType"]);
            Assert.Empty(XarfSchema.Errors((string)feedback["xarf"]!));
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/suppressions/example.test/{known}")).StatusCode);

            // 4. An operator lifts a suppression.
            Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync($"/suppressions/example.test/{unknown}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/suppressions/example.test/{unknown}")).StatusCode);
            var bad = await http.PostAsJsonAsync("/suppressions", new { senderDomain = "example.test", recipient = "not an address" });
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        }
        finally
        {
            await using var redis = await ConnectionMultiplexer.ConnectAsync(TestEnvironment.Redis);
            var server = redis.GetServers()[0];
            foreach (var key in server.Keys(pattern: prefix + "*")) await redis.GetDatabase().KeyDeleteAsync(key);
        }
    }

    /// <summary>The VERP recipient tag as documented: the first 8 hex digits of SHA-256 of the lower-cased address.</summary>
    private static string RecipientTag(string recipient) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(recipient.ToLowerInvariant())))[..8];

    private static async Task<Dictionary<string, string>> LineAsync(PipelineTestConfig config, string type, string recipient, string logs)
    {
        await TestEnvironment.WaitUntilAsync(() => Task.FromResult(config.AccountingLines().Any(l => l.StartsWith(type + ",", StringComparison.Ordinal) && l.Contains(recipient))),
            EventTimeout, $"a '{type}' accounting line for {recipient}\n{string.Join('\n', config.AccountingLines())}\n{logs}");
        var lines = config.AccountingLines();
        var header = lines[0].Split(',');
        var line = lines.First(l => l.StartsWith(type + ",", StringComparison.Ordinal) && l.Contains(recipient));
        return header.Zip(AccountingCsv.Split(line)).ToDictionary(p => p.First, p => p.Second);
    }

    private static async Task SendAsync(int port, MimeMessage message, string from, string to)
    {
        using var client = new SmtpClient { Timeout = 60_000 };
        await client.ConnectAsync("127.0.0.1", port, MailKit.Security.SecureSocketOptions.None);
        await client.SendAsync(message, MailboxAddress.Parse(from), [MailboxAddress.Parse(to)]);
        await client.DisconnectAsync(quit: true);
    }

    private static MimeMessage Dsn(string recipient, string verp, string originalMessageId)
    {
        var report = new MimeMessage();
        report.From.Add(new MailboxAddress("Mail Delivery System", "MAILER-DAEMON@mx.example.test"));
        report.To.Add(MailboxAddress.Parse(verp));
        report.Subject = "Undelivered Mail Returned to Sender";
        var multipart = new MultipartReport("delivery-status")
        {
            new TextPart("plain") { Text = $"I'm sorry to have to inform you that your message could not be delivered.\n\n<{recipient}>: mailbox full\n" },
            new MimePart("message", "delivery-status")
            {
                Content = new MimeContent(new MemoryStream(Encoding.ASCII.GetBytes(
                    "Reporting-MTA: dns; mx.example.test\r\n\r\n" +
                    $"Final-Recipient: rfc822; {recipient}\r\nAction: failed\r\nStatus: 5.2.2\r\n" +
                    "Remote-MTA: dns; store.example.test\r\n" +
                    $"Diagnostic-Code: smtp; 552 5.2.2 <{recipient}>: Mailbox full, over quota\r\n"))),
            },
            new MimePart("text", "rfc822-headers")
            {
                Content = new MimeContent(new MemoryStream(Encoding.ASCII.GetBytes(
                    $"From: sender@example.test\r\nTo: {recipient}\r\nMessage-ID: <{originalMessageId}>\r\nSubject: hello\r\n"))),
            },
        };
        report.Body = multipart;
        return report;
    }

    private static MimeMessage Arf(string recipient, string originalMessageId)
    {
        var report = new MimeMessage();
        report.From.Add(MailboxAddress.Parse("fbl-reports@isp.example.net"));
        report.To.Add(MailboxAddress.Parse(FblAddress));
        report.Subject = "Complaint about message from 127.0.0.1";
        var arrival = DateTimeOffset.UtcNow.AddHours(-1).ToString("ddd, dd MMM yyyy HH:mm:ss +0000", CultureInfo.InvariantCulture);
        report.Body = new MultipartReport("feedback-report")
        {
            new TextPart("plain") { Text = "This is an email abuse report for an email message received from IP 127.0.0.1.\n" },
            new MimePart("message", "feedback-report")
            {
                Content = new MimeContent(new MemoryStream(Encoding.ASCII.GetBytes(
                    "Feedback-Type: abuse\r\nUser-Agent: ExampleFBL/1.0\r\nVersion: 1\r\n" +
                    $"Original-Mail-From: <sender@example.test>\r\nOriginal-Rcpt-To: <{recipient}>\r\n" +
                    $"Arrival-Date: {arrival}\r\nSource-IP: 127.0.0.1\r\nReported-Domain: example.test\r\n"))),
            },
            new MimePart("text", "rfc822-headers")
            {
                Content = new MimeContent(new MemoryStream(Encoding.ASCII.GetBytes(
                    $"From: sender@example.test\r\nTo: {recipient}\r\nMessage-ID: <{originalMessageId}>\r\nSubject: hello\r\n"))),
            },
        };
        return report;
    }
}
