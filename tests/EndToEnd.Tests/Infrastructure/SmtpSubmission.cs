using MailKit.Net.Smtp;
using MimeKit;

namespace Pipeline.EndToEnd.Tests.Infrastructure;

/// <summary>Submits a test message to Ingest over SMTP with MailKit, as a sending application would.</summary>
public static class SmtpSubmission
{
    public static MimeMessage NewMessage(string subject, string to = "user@example.test")
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("sender@example.test"));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.MessageId = $"{Guid.NewGuid():N}@e2e.test";
        message.Body = new TextPart("plain") { Text = "Hello from the end-to-end test.\r\nA second line, with trailing space \r\n" };
        return message;
    }

    /// <summary>Sends and returns Ingest's reply to DATA.</summary>
    public static async Task<string> SendAsync(int port, MimeMessage message)
    {
        using var client = new SmtpClient { Timeout = 60_000 };
        await client.ConnectAsync("127.0.0.1", port, MailKit.Security.SecureSocketOptions.None);
        var reply = await client.SendAsync(message);
        await client.DisconnectAsync(quit: true);
        return reply;
    }
}
