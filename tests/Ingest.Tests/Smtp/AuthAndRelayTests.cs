using System.Diagnostics;
using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using MassTransit.Testing;
using MimeKit;
using Pipeline.Contracts;
using Pipeline.Ingest.Security;
using Pipeline.Ingest.Tests.Support;
using Pipeline.Shared.Configuration;

namespace Pipeline.Ingest.Tests.Smtp;

/// <summary>STARTTLS, AUTH and the relay policy with real clients: MailKit's SmtpClient, swaks (Debian), and raw
/// lines where a client would hide the exact exchange. The listener is configured so that loopback is NOT a relay
/// network: only authentication lets a client relay.</summary>
public sealed class AuthAndRelayTests : IngestTest
{
    private const string User = "app1";
    private const string Password = "correct horse battery staple";

    private async Task StartAsync(Action<PipelineOptions>? configure = null)
    {
        var options = IngestHost.Options("10.0.0.0/8");
        options.Ingest.Smtp.Users = [new SmtpUserOptions { Name = User, PasswordHash = PasswordHash.Create(Password, iterations: 1000) }];
        configure?.Invoke(options);
        await StartHostAsync(options);
    }

    private static MimeMessage Message(string subject)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("sender@example.com"));
        message.To.Add(MailboxAddress.Parse("rcpt@example.net"));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = "Hello over TLS" };
        return message;
    }

    private async Task<SmtpClient> MailKitClientAsync()
    {
        var client = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync("127.0.0.1", Host.SmtpEndPoint.Port, SecureSocketOptions.StartTls, Timeout.Token);
        return client;
    }

    [Fact]
    public async Task MailKit_with_starttls_and_auth_relays_and_the_received_header_says_esmtpsa()
    {
        await StartAsync();
        using var client = await MailKitClientAsync();

        Assert.True(client.IsSecure);
        Assert.Contains("PLAIN", client.AuthenticationMechanisms);
        Assert.Contains("LOGIN", client.AuthenticationMechanisms);
        await client.AuthenticateAsync(User, Password, Timeout.Token);
        var response = await client.SendAsync(Message("over tls"), Timeout.Token);
        await client.DisconnectAsync(true, Timeout.Token);

        Assert.StartsWith("2.0.0 Ok: queued as ", response);
        var accepted = Assert.Single(Published());
        Assert.Contains(accepted.MessageId.ToString("N"), response);
        Assert.Equal(["rcpt@example.net"], accepted.Recipients);
        var content = Encoding.UTF8.GetString(accepted.Content);
        Assert.Contains(" with ESMTPSA id ", content);
        // MailKit sends with BDAT when CHUNKING is announced: the whole message must have arrived.
        Assert.Contains("Subject: over tls\r\n", content);
        Assert.Contains("Hello over TLS", content);
    }

    [Fact]
    public async Task MailKit_with_a_wrong_password_gets_535_and_cannot_relay()
    {
        await StartAsync();
        using var client = await MailKitClientAsync();

        var failure = await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync(User, "wrong", Timeout.Token));
        Assert.Contains("5.7.8", failure.Message);
        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(Message("no auth"), Timeout.Token));

        Assert.Equal(SmtpStatusCode.MailboxUnavailable, refused.StatusCode);
        Assert.Contains("5.7.1", refused.Message);
        Assert.Empty(Published());
    }

    [Fact]
    public async Task No_open_relay_an_unauthenticated_client_outside_relay_from_is_refused_for_every_recipient()
    {
        await StartAsync();
        await using var client = await SmtpLineClient.ConnectAsync(Host.SmtpEndPoint, Timeout.Token);
        Assert.Equal(220, (await client.ReadReplyAsync()).Code);
        Assert.Equal(250, (await client.CommandAsync("EHLO outside.example.org")).Code);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<spammer@example.org>")).Code);

        // Foreign domains, our own names, address literals: Ingest has no local delivery, everything is relaying.
        foreach (var recipient in new[] { "victim@example.net", "user@example.test", "postmaster@ingest.example.test", "root@[127.0.0.1]", "x@localhost" })
        {
            var reply = await client.CommandAsync($"RCPT TO:<{recipient}>");
            Assert.Equal(550, reply.Code);
            Assert.StartsWith($"5.7.1 <{recipient}>: Relaying denied", reply.Text);
        }
        // RFC 5321 3.3: DATA without a recipient that was accepted.
        Assert.Equal(554, (await client.CommandAsync("DATA")).Code);
        Assert.Empty(Published());
    }

    [Fact]
    public async Task Bounces_and_complaints_are_taken_from_anyone_but_nothing_else_is_relayed()
    {
        await StartAsync(o => o.Bounce = new() { ReturnPathDomain = "bounces.example.test", FblAddress = "fbl@example.test" });
        await using var client = await SmtpLineClient.ConnectAsync(Host.SmtpEndPoint, Timeout.Token);
        Assert.Equal(220, (await client.ReadReplyAsync()).Code);
        Assert.Equal(250, (await client.CommandAsync("EHLO mx.remote.example.org")).Code);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<>")).Code);

        Assert.Equal(250, (await client.CommandAsync($"RCPT TO:<bounces+{Guid.NewGuid():N}.0a1b2c3d@bounces.example.test>")).Code);
        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<FBL@example.test>")).Code);
        var foreign = await client.CommandAsync("RCPT TO:<victim@example.net>");
        Assert.Equal(550, foreign.Code);
        Assert.StartsWith("5.7.1 <victim@example.net>: Relaying denied", foreign.Text);
    }

    [Fact]
    public async Task Auth_login_step_by_step_on_a_listener_that_allows_auth_without_tls()
    {
        await StartAsync(o => o.Ingest.Smtp.AuthRequiresTls = false);
        await using var client = await SmtpLineClient.ConnectAsync(Host.SmtpEndPoint, Timeout.Token);
        Assert.Equal(220, (await client.ReadReplyAsync()).Code);
        Assert.Contains("AUTH PLAIN LOGIN", (await client.CommandAsync("EHLO c.example.org")).Lines);

        var userPrompt = await client.CommandAsync("AUTH LOGIN");
        Assert.Equal((334, "VXNlcm5hbWU6"), (userPrompt.Code, userPrompt.Text));
        var passwordPrompt = await client.CommandAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(User)));
        Assert.Equal((334, "UGFzc3dvcmQ6"), (passwordPrompt.Code, passwordPrompt.Text));
        var done = await client.CommandAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(Password)));

        Assert.Equal(235, done.Code);
        Assert.StartsWith("2.7.0", done.Text);
        Assert.Equal(503, (await client.CommandAsync("AUTH PLAIN")).Code);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<a@example.com>")).Code);
        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<b@example.net>")).Code);
    }

    [Fact]
    public async Task Auth_plain_cancel_bad_base64_unknown_mechanism_and_three_failures()
    {
        await StartAsync(o => o.Ingest.Smtp.AuthRequiresTls = false);
        await using var client = await SmtpLineClient.ConnectAsync(Host.SmtpEndPoint, Timeout.Token);
        Assert.Equal(220, (await client.ReadReplyAsync()).Code);
        Assert.Equal(250, (await client.CommandAsync("EHLO c.example.org")).Code);

        Assert.Equal(334, (await client.CommandAsync("AUTH PLAIN")).Code);
        var cancelled = await client.CommandAsync("*");
        Assert.Equal((501, true), (cancelled.Code, cancelled.Text.StartsWith("5.0.0", StringComparison.Ordinal)));
        Assert.Equal(501, (await client.CommandAsync("AUTH PLAIN !!!")).Code);
        Assert.Equal(504, (await client.CommandAsync("AUTH CRAM-MD5")).Code);

        var wrong = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{User}\0wrong"));
        Assert.Equal(535, (await client.CommandAsync($"AUTH PLAIN {wrong}")).Code);
        Assert.Equal(535, (await client.CommandAsync($"AUTH PLAIN {wrong}")).Code);
        var last = await client.CommandAsync($"AUTH PLAIN {wrong}");

        Assert.Equal(421, last.Code);
        Assert.StartsWith("4.7.0", last.Text);
        Assert.Null(await client.TryReadReplyAsync());
    }

    [Fact]
    public async Task Swaks_with_starttls_and_auth_plain_sends_a_message()
    {
        await StartAsync();

        var (exitCode, output) = await RunSwaksAsync("--tls", "--auth", "PLAIN", "--auth-user", User, "--auth-password", Password);

        Assert.True(exitCode == 0, output);
        Assert.True(output.Contains("220 2.0.0 Ready to start TLS") && output.Contains("TLS started"), output);
        Assert.Contains("235 2.7.0 Authentication successful", output);
        var accepted = Assert.Single(Published());
        Assert.Equal("swaks@example.com", accepted.MailFrom);
        Assert.Contains("Subject: from swaks", Encoding.UTF8.GetString(accepted.Content));
    }

    [Fact]
    public async Task Swaks_without_auth_from_outside_relay_from_is_refused_550_5_7_1()
    {
        await StartAsync();

        var (exitCode, output) = await RunSwaksAsync("--tls");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("550 5.7.1 <rcpt@example.net>: Relaying denied", output);
        Assert.Empty(Published());
    }

    private async Task<(int ExitCode, string Output)> RunSwaksAsync(params string[] extra)
    {
        var start = new ProcessStartInfo("swaks")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[] { "--server", $"127.0.0.1:{Host.SmtpEndPoint.Port}", "--from", "swaks@example.com", "--to", "rcpt@example.net",
                     "--header", "Subject: from swaks", "--body", "hello from swaks", "--timeout", "30" })
            start.ArgumentList.Add(a);
        foreach (var a in extra) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(Timeout.Token);
        await process.WaitForExitAsync(Timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
