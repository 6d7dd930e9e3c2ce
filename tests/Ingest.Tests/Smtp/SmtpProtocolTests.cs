using System.Text;
using Pipeline.Ingest.Tests.Support;
using Pipeline.Shared.Configuration;

namespace Pipeline.Ingest.Tests.Smtp;

/// <summary>The listener's protocol, extensions and limits, session by session over a real socket, with the in-memory
/// harness as the broker. Every refusal is checked for its code and enhanced status.</summary>
public sealed class SmtpProtocolTests : IngestTest
{
    private async Task<SmtpLineClient> StartAsync(Action<PipelineOptions>? configure = null, bool ehlo = true)
    {
        var options = IngestHost.Options("127.0.0.0/8");
        configure?.Invoke(options);
        var (client, greeting) = await (await StartHostAsync(options)).ConnectAsync(Timeout.Token);
        Assert.Equal(220, greeting.Code);
        if (ehlo) Assert.Equal(250, (await client.CommandAsync("EHLO client.example.com")).Code);
        return client;
    }

    private static void AssertReply(SmtpReply reply, int code, string enhanced)
    {
        Assert.True(reply.Code == code && reply.Text.StartsWith(enhanced + " ", StringComparison.Ordinal), $"expected {code} {enhanced}, got {reply}");
    }

    [Fact]
    public async Task Ehlo_announces_every_extension_and_auth_only_where_allowed()
    {
        await using var client = await StartAsync(o => o.Ingest.Smtp.Users = [new() { Name = "u", PasswordHash = "pbkdf2-sha256$1$AA==$AA==" }], ehlo: false);

        var ehlo = await client.CommandAsync("EHLO client.example.com");

        Assert.Equal("ingest.example.test Hello client.example.com [127.0.0.1]", ehlo.Lines[0]);
        foreach (var extension in new[] { "PIPELINING", "SIZE 1000000", "8BITMIME", "SMTPUTF8", "ENHANCEDSTATUSCODES", "CHUNKING", "STARTTLS" })
            Assert.Contains(extension, ehlo.Lines);
        // AUTH PLAIN/LOGIN would send the password in the clear: offered only after STARTTLS by default.
        Assert.DoesNotContain(ehlo.Lines, l => l.StartsWith("AUTH", StringComparison.Ordinal));
        AssertReply(await client.CommandAsync("AUTH PLAIN AHUAcA=="), 538, "5.7.11");
    }

    [Fact]
    public async Task Helo_gets_a_plain_reply_and_esmtp_parameters_are_refused_after_it()
    {
        await using var client = await StartAsync(ehlo: false);

        var helo = await client.CommandAsync("HELO client.example.com");

        Assert.Equal(250, helo.Code);
        Assert.Equal("ingest.example.test", helo.Text);
        AssertReply(await client.CommandAsync("MAIL FROM:<a@example.com> SIZE=10"), 555, "5.5.4");
        AssertReply(await client.CommandAsync("MAIL FROM:<a@example.com>"), 250, "2.1.0");
    }

    [Fact]
    public async Task A_pipelined_transaction_in_one_write_gets_every_reply_in_order()
    {
        await using var client = await StartAsync();

        await client.SendRawAsync("MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.net>\r\nRCPT TO:<c@example.net>\r\nDATA\r\n");

        AssertReply(await client.ReadReplyAsync(), 250, "2.1.0");
        AssertReply(await client.ReadReplyAsync(), 250, "2.1.5");
        AssertReply(await client.ReadReplyAsync(), 250, "2.1.5");
        Assert.Equal(354, (await client.ReadReplyAsync()).Code);
        await client.SendRawAsync("Subject: pipelined\r\n\r\nbody\r\n.\r\nNOOP\r\n");
        AssertReply(await client.ReadReplyAsync(), 250, "2.0.0");
        AssertReply(await client.ReadReplyAsync(), 250, "2.0.0");
        Assert.Equal(["b@example.net", "c@example.net"], Assert.Single(Published()).Recipients);
    }

    [Fact]
    public async Task A_whole_session_sent_one_byte_at_a_time_is_understood()
    {
        await using var client = await StartAsync(ehlo: false);
        const string session = "EHLO bytes.example.com\r\nMAIL FROM:<a@example.com> BODY=8BITMIME\r\nRCPT TO:<b@example.net>\r\nDATA\r\n" +
                               "Subject: byte by byte\r\n\r\n..dot\r\nline\r\n.\r\nQUIT\r\n";

        foreach (var b in Encoding.ASCII.GetBytes(session)) await client.SendRawBytesAsync([b]);

        Assert.Equal(250, (await client.ReadReplyAsync()).Code);
        AssertReply(await client.ReadReplyAsync(), 250, "2.1.0");
        AssertReply(await client.ReadReplyAsync(), 250, "2.1.5");
        Assert.Equal(354, (await client.ReadReplyAsync()).Code);
        AssertReply(await client.ReadReplyAsync(), 250, "2.0.0");
        AssertReply(await client.ReadReplyAsync(), 221, "2.0.0");
        var content = Encoding.UTF8.GetString(Assert.Single(Published()).Content);
        Assert.EndsWith("Subject: byte by byte\r\n\r\n.dot\r\nline\r\n", content);
        Assert.Contains("from bytes.example.com ([127.0.0.1])", content);
    }

    [Fact]
    public async Task Commands_out_of_order_get_503_5_5_1_and_unknown_ones_500_5_5_2()
    {
        await using var client = await StartAsync(ehlo: false);

        AssertReply(await client.CommandAsync("MAIL FROM:<a@example.com>"), 503, "5.5.1");
        AssertReply(await client.CommandAsync("EHLO"), 501, "5.5.4");
        Assert.Equal(250, (await client.CommandAsync("EHLO client.example.com")).Code);
        AssertReply(await client.CommandAsync("RCPT TO:<b@example.net>"), 503, "5.5.1");
        AssertReply(await client.CommandAsync("DATA"), 503, "5.5.1");
        AssertReply(await client.CommandAsync("MAIL FROM:<a@example.com>"), 250, "2.1.0");
        AssertReply(await client.CommandAsync("MAIL FROM:<a@example.com>"), 503, "5.5.1");
        AssertReply(await client.CommandAsync("DATA"), 554, "5.5.1");
        AssertReply(await client.CommandAsync("XYZZY"), 500, "5.5.2");
        AssertReply(await client.CommandAsync("VRFY someone"), 252, "2.5.2");
        AssertReply(await client.CommandAsync("RCPT TO:<b@example.net> NOTIFY=NEVER"), 555, "5.5.4");
        AssertReply(await client.CommandAsync("MAIL FROM:<a@example.com> SIZE=big"), 503, "5.5.1");
        AssertReply(await client.CommandAsync("RSET"), 250, "2.0.0");
        AssertReply(await client.CommandAsync("MAIL FROM:<a@example.com> SIZE=big"), 501, "5.5.4");
        AssertReply(await client.CommandAsync("MAIL FROM:<a@example.com> FOO=1"), 555, "5.5.4");
        AssertReply(await client.CommandAsync("QUIT"), 221, "2.0.0");
        Assert.False(await AnyPublishedAsync());
    }

    [Theory]
    [InlineData("RCPT TO:<not an address>", 501, "5.1.3")]
    [InlineData("RCPT TO:<user@>", 501, "5.1.3")]
    [InlineData("RCPT TO:<user@exa mple.com>", 501, "5.1.3")]
    [InlineData("RCPT TO:<>", 501, "5.1.3")]
    [InlineData("RCPT TO:user@example.com", 501, "5.5.4")]
    [InlineData("RCPT TO:<jörg@example.com>", 553, "5.6.7")]
    public async Task A_bad_recipient_is_refused_with_a_precise_reply(string command, int code, string enhanced)
    {
        await using var client = await StartAsync();
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<a@example.com>")).Code);

        var reply = await client.CommandAsync(command);

        AssertReply(reply, code, enhanced);
        // The transaction goes on: a good recipient is still taken.
        AssertReply(await client.CommandAsync("RCPT TO:<b@example.net>"), 250, "2.1.5");
    }

    [Theory]
    [InlineData("MAIL FROM:<a@@example.com>", 501, "5.1.7")]
    [InlineData("MAIL FROM:<a@example..com>", 501, "5.1.7")]
    [InlineData("MAIL FROM:<jörg@example.com>", 553, "5.6.7")]
    public async Task A_bad_sender_is_refused_with_a_precise_reply(string command, int code, string enhanced)
    {
        await using var client = await StartAsync();

        AssertReply(await client.CommandAsync(command), code, enhanced);
    }

    [Fact]
    public async Task Smtputf8_addresses_are_taken_when_the_transaction_asks_for_them()
    {
        await using var client = await StartAsync();

        AssertReply(await client.CommandAsync("MAIL FROM:<jörg@example.com> SMTPUTF8"), 250, "2.1.0");
        AssertReply(await client.CommandAsync("RCPT TO:<用户@例子.广告>"), 250, "2.1.5");
        Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
        await client.SendRawAsync("Subject: Grüße\r\n\r\nHallo\r\n.\r\n");
        AssertReply(await client.ReadReplyAsync(), 250, "2.0.0");

        var accepted = Assert.Single(Published());
        Assert.Equal("jörg@example.com", accepted.MailFrom);
        Assert.Equal(["用户@例子.广告"], accepted.Recipients);
        Assert.Contains(" with UTF8SMTP id ", Encoding.UTF8.GetString(accepted.Content));
        Assert.EndsWith("Subject: Grüße\r\n\r\nHallo\r\n", Encoding.UTF8.GetString(accepted.Content));
    }

    [Fact]
    public async Task A_declared_size_over_the_limit_is_refused_at_mail()
    {
        await using var client = await StartAsync();

        AssertReply(await client.CommandAsync("MAIL FROM:<a@example.com> SIZE=1000001"), 552, "5.3.4");
        AssertReply(await client.CommandAsync("MAIL FROM:<a@example.com> SIZE=1000000"), 250, "2.1.0");
    }

    [Fact]
    public async Task Data_over_the_limit_is_read_to_the_end_then_refused_with_552_5_3_4()
    {
        await using var client = await StartAsync(o => o.Ingest.Smtp.MaxMessageBytes = 10_000);
        await OpenDataAsync(client, "a@example.com", "b@example.net");

        var line = new string('x', 998) + "\r\n";
        await client.SendRawAsync("Subject: big\r\n\r\n" + string.Concat(Enumerable.Repeat(line, 20)) + ".\r\n");

        AssertReply(await client.ReadReplyAsync(), 552, "5.3.4");
        Assert.False(await AnyPublishedAsync());
        // The session survives and the next transaction works.
        AssertReply(await client.CommandAsync("MAIL FROM:<a@example.com>"), 250, "2.1.0");
    }

    [Fact]
    public async Task Recipients_beyond_the_maximum_get_452_4_5_3()
    {
        await using var client = await StartAsync(o => o.Ingest.Smtp.MaxRecipients = 2);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<a@example.com>")).Code);

        AssertReply(await client.CommandAsync("RCPT TO:<r1@example.net>"), 250, "2.1.5");
        AssertReply(await client.CommandAsync("RCPT TO:<r2@example.net>"), 250, "2.1.5");
        AssertReply(await client.CommandAsync("RCPT TO:<r3@example.net>"), 452, "4.5.3");

        Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
        await client.SendRawAsync("Subject: s\r\n\r\nb\r\n.\r\n");
        AssertReply(await client.ReadReplyAsync(), 250, "2.0.0");
        Assert.Equal(["r1@example.net", "r2@example.net"], Assert.Single(Published()).Recipients);
    }

    [Fact]
    public async Task An_empty_message_is_refused_with_554_5_6_0()
    {
        await using var client = await StartAsync();
        await OpenDataAsync(client, "a@example.com", "b@example.net");

        AssertReply(await client.CommandAsync("."), 554, "5.6.0");
        Assert.False(await AnyPublishedAsync());
    }

    [Fact]
    public async Task Bdat_chunks_make_one_message_byte_for_byte()
    {
        await using var client = await StartAsync();
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<a@example.com>")).Code);
        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<b@example.net>")).Code);
        const string first = "Subject: chunked\r\n\r\n.no stuffing in BDAT\r\n";
        const string second = ".\r\nlast\r\n";

        await client.SendRawAsync($"BDAT {first.Length}\r\n{first}");
        AssertReply(await client.ReadReplyAsync(), 250, "2.0.0");
        await client.SendRawAsync($"BDAT {second.Length} LAST\r\n{second}");
        AssertReply(await client.ReadReplyAsync(), 250, "2.0.0");

        Assert.EndsWith(first + second, Encoding.UTF8.GetString(Assert.Single(Published()).Content));
        AssertReply(await client.CommandAsync("DATA"), 503, "5.5.1");
    }

    [Fact]
    public async Task Bdat_without_a_transaction_is_read_and_refused()
    {
        await using var client = await StartAsync();

        await client.SendRawAsync("BDAT 12 LAST\r\nQUIT\r\nQUIT\r\n");

        AssertReply(await client.ReadReplyAsync(), 503, "5.5.1");
        AssertReply(await client.CommandAsync("NOOP"), 250, "2.0.0");
    }

    [Fact]
    public async Task Bdat_over_the_limit_is_refused_with_552_5_3_4()
    {
        await using var client = await StartAsync(o => o.Ingest.Smtp.MaxMessageBytes = 100);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<a@example.com>")).Code);
        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<b@example.net>")).Code);

        await client.SendRawAsync($"BDAT 200 LAST\r\n{new string('x', 200)}");

        AssertReply(await client.ReadReplyAsync(), 552, "5.3.4");
        Assert.False(await AnyPublishedAsync());
    }

    [Fact]
    public async Task A_bare_lf_dot_lf_does_not_end_the_data()
    {
        await using var client = await StartAsync();
        await OpenDataAsync(client, "a@example.com", "b@example.net");

        // The "SMTP smuggling" attempt: a second transaction hidden after <LF>.<LF>.
        await client.SendRawAsync("Subject: s\r\n\r\nbody\n.\nMAIL FROM:<evil@example.com>\r\n.\r\n");

        AssertReply(await client.ReadReplyAsync(), 250, "2.0.0");
        var accepted = Assert.Single(Published());
        Assert.EndsWith("body\n.\nMAIL FROM:<evil@example.com>\r\n", Encoding.UTF8.GetString(accepted.Content));
    }

    [Fact]
    public async Task A_bare_cr_from_the_client_never_reaches_a_reply_or_the_helo_name()
    {
        await using var client = await StartAsync(ehlo: false);

        AssertReply(await client.CommandAsync("EHLO evil\rname"), 501, "5.5.4");
        Assert.Equal(250, (await client.CommandAsync("EHLO c.example.com")).Code);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<a@example.com>")).Code);
        var reply = await client.CommandAsync("RCPT TO:<bad\raddress>");

        AssertReply(reply, 501, "5.1.3");
        Assert.Contains("<bad?address>", reply.Text);
    }

    [Fact]
    public async Task A_too_long_command_line_gets_500_5_5_6_and_the_session_goes_on()
    {
        await using var client = await StartAsync();

        await client.SendRawAsync("NOOP " + new string('x', 10_000) + "\r\n");

        AssertReply(await client.ReadReplyAsync(), 500, "5.5.6");
        AssertReply(await client.CommandAsync("NOOP"), 250, "2.0.0");
    }

    [Fact]
    public async Task Too_many_bad_commands_end_the_session_with_421()
    {
        await using var client = await StartAsync();

        for (int i = 1; i < 20; i++) AssertReply(await client.CommandAsync("BOGUS"), 500, "5.5.2");
        AssertReply(await client.CommandAsync("BOGUS"), 500, "5.5.2");

        AssertReply(await client.ReadReplyAsync(), 421, "4.7.0");
        Assert.Null(await client.TryReadReplyAsync());
    }

    [Fact]
    public async Task An_idle_client_gets_421_4_4_2_and_is_disconnected()
    {
        await using var client = await StartAsync(o => o.Ingest.Smtp.IdleTimeout = "1s");

        // No command: the next thing the server says is the timeout.
        AssertReply(await client.ReadReplyAsync(), 421, "4.4.2");
        Assert.Null(await client.TryReadReplyAsync());
    }

    [Fact]
    public async Task A_connection_beyond_max_sessions_gets_421_4_7_0_instead_of_the_greeting()
    {
        await using var first = await StartAsync(o => o.Ingest.Smtp.MaxSessions = 1);

        await using var second = await SmtpLineClient.ConnectAsync(Host.SmtpEndPoint, Timeout.Token);

        AssertReply(await second.ReadReplyAsync(), 421, "4.7.0");
        Assert.Null(await second.TryReadReplyAsync());
        // The first session is untouched.
        AssertReply(await first.CommandAsync("NOOP"), 250, "2.0.0");
    }

    [Fact]
    public async Task Connections_over_the_per_ip_rate_get_421_4_7_0()
    {
        await using var first = await StartAsync(o => o.Ingest.Smtp.MaxConnectionRatePerIp = "2/h");
        await using var second = await SmtpLineClient.ConnectAsync(Host.SmtpEndPoint, Timeout.Token);
        Assert.Equal(220, (await second.ReadReplyAsync()).Code);

        await using var third = await SmtpLineClient.ConnectAsync(Host.SmtpEndPoint, Timeout.Token);

        var refusal = await third.ReadReplyAsync();
        AssertReply(refusal, 421, "4.7.0");
        Assert.Contains("127.0.0.1", refusal.Text);
    }

    [Fact]
    public async Task Commands_pipelined_after_starttls_are_discarded()
    {
        await using var client = await StartAsync();

        await client.SendRawAsync("STARTTLS\r\nMAIL FROM:<injected@example.com>\r\n");

        AssertReply(await client.ReadReplyAsync(), 220, "2.0.0");
        // Nothing answers the injected MAIL: the server waits for a TLS handshake instead.
        using var quiet = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ReadReplyAsync(quiet.Token));
    }

    [Fact]
    public async Task An_unknown_virtual_mta_is_refused_at_the_end_of_data_naming_it()
    {
        await using var client = await StartAsync();
        await OpenDataAsync(client, "a@example.com", "b@example.net");

        var reply = await client.CommandAsync("X-Virtual-MTA: mta9\r\nSubject: s\r\n\r\nb\r\n.");

        AssertReply(reply, 550, "5.7.1");
        Assert.Contains("'mta9'", reply.Text);
        Assert.False(await AnyPublishedAsync());
    }

    [Fact]
    public async Task A_per_recipient_list_unsubscribe_splits_the_message_one_per_recipient()
    {
        await using var client = await StartAsync(o => o.Ingest.ListUnsubscribe = new ListUnsubscribeOptions
        {
            Mailto = "mailto:unsub@example.com?subject={recipient}",
            Url = "https://example.com/u?r={recipient}",
        });
        await OpenDataAsync(client, "a@example.com", "r1@example.net", "r2@example.net");

        AssertReply(await client.CommandAsync("Subject: news\r\n\r\nb\r\n."), 250, "2.0.0");

        var published = Published().OrderBy(m => m.Recipients[0]).ToList();
        Assert.Equal(2, published.Count);
        for (int i = 0; i < 2; i++)
        {
            var recipient = $"r{i + 1}@example.net";
            Assert.Equal([recipient], published[i].Recipients);
            var content = Encoding.UTF8.GetString(published[i].Content);
            Assert.Contains($"List-Unsubscribe: <mailto:unsub@example.com?subject={Uri.EscapeDataString(recipient)}>,\r\n <https://example.com/u?r={Uri.EscapeDataString(recipient)}>\r\n", content);
            Assert.Contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n", content);
        }
    }

    [Fact]
    public async Task A_message_with_its_own_list_unsubscribe_keeps_it_and_is_not_split()
    {
        await using var client = await StartAsync(o => o.Ingest.ListUnsubscribe = new ListUnsubscribeOptions { Url = "https://example.com/u?r={recipient}" });
        await OpenDataAsync(client, "a@example.com", "r1@example.net", "r2@example.net");

        AssertReply(await client.CommandAsync("List-Unsubscribe: <mailto:own@example.com>\r\nSubject: s\r\n\r\nb\r\n."), 250, "2.0.0");

        var content = Encoding.UTF8.GetString(Assert.Single(Published()).Content);
        Assert.Equal(2, content.Split("List-Unsubscribe:").Length);
        Assert.Contains("List-Unsubscribe: <mailto:own@example.com>", content);
        Assert.DoesNotContain("example.com/u?r=", content);
    }
}
