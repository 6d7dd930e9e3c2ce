using System.Buffers;
using Pipeline.Ingest.Submission;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Pipeline.Ingest.Smtp;

/// <summary>End of DATA: hands the message to the <see cref="MessageSubmitter"/> and turns its result into the
/// reply. 250 only after the broker confirmed; 451 4.3.0 when it did not, so the client keeps the message.</summary>
public sealed class PipelineMessageStore(MessageSubmitter submitter, ILogger<PipelineMessageStore> log) : IMessageStore
{
    /// <summary>451: "Requested action aborted: local error in processing" (RFC 5321 4.2.3).</summary>
    private const SmtpReplyCode LocalErrorInProcessing = (SmtpReplyCode)451;

    public async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction,
        ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
    {
        var envelope = new Envelope(
            MailFrom: transaction.From is { } from && !string.IsNullOrEmpty(from.User) ? from.AsAddress() : "",
            Recipients: transaction.To.Select(r => r.AsAddress()).ToArray(),
            Channel: "smtp",
            ClientAddress: context.ClientAddress());
        var result = await submitter.SubmitAsync(envelope, WithFinalLineEnd(buffer), cancellationToken).ConfigureAwait(false);
        switch (result.Status)
        {
            case SubmissionStatus.Accepted:
                return new SmtpResponse(SmtpReplyCode.Ok, $"2.0.0 Ok: queued as {result.MessageId:N}");
            case SubmissionStatus.UnknownVirtualMta:
                IngestLog.UnknownVirtualMta(log, result.Detail ?? "", envelope.ClientAddress ?? "");
                return new SmtpResponse(SmtpReplyCode.MailboxUnavailable,
                    $"5.7.1 Unknown VirtualMTA or pool '{result.Detail}' in X-Virtual-MTA");
            default:
                return new SmtpResponse(LocalErrorInProcessing,
                    "4.3.0 Temporary failure: the message queue is unavailable, try again later");
        }
    }

    /// <summary>SmtpServer hands over the data without the whole CRLF.CRLF terminator, but its first CRLF ends the
    /// message's last line (RFC 5321 4.1.1.4): put it back, so the content is byte for byte what the client sent.</summary>
    private static byte[] WithFinalLineEnd(ReadOnlySequence<byte> buffer)
    {
        if (buffer.IsEmpty) return [];
        var raw = new byte[buffer.Length + 2];
        buffer.CopyTo(raw);
        raw[^2] = (byte)'\r';
        raw[^1] = (byte)'\n';
        return raw;
    }
}
