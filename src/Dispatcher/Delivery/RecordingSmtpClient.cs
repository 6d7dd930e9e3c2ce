using MailKit.Net.Smtp;
using MimeKit;

namespace Pipeline.Dispatcher.Delivery;

/// <summary>MailKit's client, changed in one respect: a refused RCPT is recorded instead of ending the whole
/// transaction, so the accepted recipients still get the message and each refusal keeps its own reply.</summary>
internal sealed class RecordingSmtpClient : SmtpClient
{
    public Dictionary<string, SmtpResponse> Refused { get; } = new(StringComparer.OrdinalIgnoreCase);

    protected override void OnRecipientNotAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response) =>
        Refused[mailbox.Address] = response;


}
