using System.Text;
using Pipeline.Contracts;
using Pipeline.Ingest.Tests.Support;

namespace Pipeline.Ingest.Tests.Smtp;

/// <summary>Whole SMTP sessions against the real listener (own protocol layer, relay policy, submitter) with
/// MassTransit's in-memory harness as the broker.</summary>
public sealed class SmtpListenerTranscriptTests : IngestTest
{
    private async Task<SmtpLineClient> StartAndConnectAsync(params string[] relayFrom)
    {
        var (client, greeting) = await (await StartHostAsync(IngestHost.Options(relayFrom.Length == 0 ? ["127.0.0.0/8"] : relayFrom))).ConnectAsync(Timeout.Token);
        Assert.Equal(220, greeting.Code);
        var ehlo = await client.CommandAsync("EHLO client.example.com");
        Assert.Equal(250, ehlo.Code);
        return client;
    }

    /// <summary>MAIL, RCPT, DATA and the message (dot-stuffed here, as on the wire); returns the reply to the final dot.</summary>
    private static async Task<SmtpReply> SendMessageAsync(SmtpLineClient client, string mailFrom, string[] recipients, string message)
    {
        await OpenDataAsync(client, mailFrom, recipients);
        var stuffed = string.Join("\r\n", message.Split("\r\n").Select(l => l.StartsWith('.') ? "." + l : l));
        await client.SendRawAsync(stuffed + ".\r\n");
        return await client.ReadReplyAsync();
    }

    /// <summary>The content without the Received header Ingest put on top (checked here), as a string.</summary>
    private static string WithoutReceived(MessageAccepted accepted)
    {
        var content = Encoding.UTF8.GetString(accepted.Content);
        Assert.StartsWith($"Received: from client.example.com ([127.0.0.1])\r\n\tby ingest.example.test (Pipeline Ingest) with ESMTP id {accepted.MessageId:N};\r\n\t", content);
        return content[(content.IndexOf("\r\n", content.IndexOf(";\r\n\t", StringComparison.Ordinal) + 3, StringComparison.Ordinal) + 2)..];
    }

    private MessageAccepted SinglePublished()
    {
        return Assert.Single(Published());
    }

    [Fact]
    public async Task Greeting_and_ehlo_announce_the_server_and_size()
    {
        var (client, greeting) = await (await StartHostAsync(IngestHost.Options("127.0.0.0/8"))).ConnectAsync(Timeout.Token);
        await using var _ = client;

        Assert.Equal(220, greeting.Code);
        Assert.Contains("ingest.example.test", greeting.Text);
        var ehlo = await client.CommandAsync("EHLO client.example.com");
        Assert.Equal(250, ehlo.Code);
        Assert.Contains(ehlo.Lines, l => l == "SIZE 1000000");
    }

    [Fact]
    public async Task Message_with_control_headers_is_accepted_and_published_without_them()
    {
        await using var client = await StartAndConnectAsync();
        const string headers = "From: Sender <sender@example.com>\r\nTo: rcpt@example.net\r\n";
        const string subject = "Subject: hello\r\n";
        const string body = "\r\nFirst line\r\n.a line that starts with a dot\r\n..two dots\r\nlast line\r\n";
        var message = headers + "X-Virtual-MTA: mta1\r\n" + subject + "X-Job: j1\r\n" + body;

        var reply = await SendMessageAsync(client, "sender@example.com", ["rcpt@example.net", "other@example.org"], message);

        Assert.Equal(250, reply.Code);
        Assert.StartsWith("2.0.0", reply.Text);
        var accepted = SinglePublished();
        Assert.Contains(accepted.MessageId.ToString("N"), reply.Text);
        Assert.Equal("mta1", accepted.VirtualMta);
        Assert.Equal("j1", accepted.JobId);
        Assert.Equal("sender@example.com", accepted.MailFrom);
        Assert.Equal(["rcpt@example.net", "other@example.org"], accepted.Recipients);
        Assert.Equal("smtp", accepted.Channel);
        Assert.Equal("127.0.0.1", accepted.ClientAddress);

        // A Message-ID is added in front; every other byte is what the client sent, minus the control headers.
        Assert.False(string.IsNullOrEmpty(accepted.HeaderMessageId));
        Assert.Contains(accepted.MessageId.ToString("N"), accepted.HeaderMessageId);
        var expected = $"Message-ID: <{accepted.HeaderMessageId}>\r\n" + headers + subject + body;
        Assert.Equal(expected, WithoutReceived(accepted));
    }

    [Fact]
    public async Task An_existing_message_id_is_kept_and_no_virtual_mta_means_the_default()
    {
        await using var client = await StartAndConnectAsync();
        const string message = "Message-ID: <given.1@example.com>\r\nFrom: a@example.com\r\nSubject: s\r\n\r\nbody\r\n";

        var reply = await SendMessageAsync(client, "", ["rcpt@example.net"], message);

        Assert.Equal(250, reply.Code);
        var accepted = SinglePublished();
        Assert.Equal("given.1@example.com", accepted.HeaderMessageId);
        Assert.Null(accepted.VirtualMta);
        Assert.Null(accepted.JobId);
        Assert.Equal("", accepted.MailFrom);
        Assert.Equal(message, WithoutReceived(accepted));
    }

    [Fact]
    public async Task A_pool_name_in_x_virtual_mta_is_accepted()
    {
        await using var client = await StartAndConnectAsync();

        var reply = await SendMessageAsync(client, "a@example.com", ["rcpt@example.net"],
            "X-Virtual-MTA: default\r\nSubject: s\r\n\r\nbody\r\n");

        Assert.Equal(250, reply.Code);
        Assert.Equal("default", SinglePublished().VirtualMta);
    }

    [Fact]
    public async Task An_unknown_virtual_mta_is_refused_with_550_5_7_1_naming_it()
    {
        await using var client = await StartAndConnectAsync();

        var reply = await SendMessageAsync(client, "a@example.com", ["rcpt@example.net"],
            "X-Virtual-MTA: nosuch\r\nSubject: s\r\n\r\nbody\r\n");

        Assert.Equal(550, reply.Code);
        Assert.StartsWith("5.7.1", reply.Text);
        Assert.Contains("'nosuch'", reply.Text);
        Assert.False(await AnyPublishedAsync());
        // The session goes on: the next command is answered normally.
        Assert.Equal(250, (await client.CommandAsync("NOOP")).Code);
    }

    [Fact]
    public async Task A_client_outside_relay_from_is_refused_at_rcpt()
    {
        await using var client = await StartAndConnectAsync("10.0.0.0/8");

        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<a@example.com>")).Code);
        var rcpt = await client.CommandAsync("RCPT TO:<rcpt@example.net>");

        Assert.Equal(550, rcpt.Code);
        Assert.StartsWith("5.7.1 <rcpt@example.net>", rcpt.Text);
        Assert.Contains("127.0.0.1", rcpt.Text);
        // Without an accepted recipient there is no transaction to send data for.
        Assert.NotEqual(354, (await client.CommandAsync("DATA")).Code);
        Assert.False(await AnyPublishedAsync());
    }

    [Fact]
    public async Task Rset_and_noop_answer_250_and_rset_ends_the_transaction()
    {
        await using var client = await StartAndConnectAsync();

        Assert.Equal(250, (await client.CommandAsync("NOOP")).Code);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<first@example.com>")).Code);
        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<dropped@example.net>")).Code);
        Assert.Equal(250, (await client.CommandAsync("RSET")).Code);
        Assert.Equal(250, (await client.CommandAsync("NOOP")).Code);

        // A second MAIL is only allowed because RSET cleared the first transaction, recipient included.
        var reply = await SendMessageAsync(client, "second@example.com", ["kept@example.net"], "Subject: s\r\n\r\nbody\r\n");

        Assert.Equal(250, reply.Code);
        var accepted = SinglePublished();
        Assert.Equal("second@example.com", accepted.MailFrom);
        Assert.Equal(["kept@example.net"], accepted.Recipients);
    }
}
