using MassTransit;
using Pipeline.BounceProcessor.Accounting;
using Pipeline.Contracts;

namespace Pipeline.BounceProcessor.Consumers;

/// <summary>Writes one accounting line per delivery attempt: d for delivered, b for a permanent failure, t for a
/// deferral. Idempotent on the attempt id, so a redelivered event is not counted twice.</summary>
public sealed class DeliveryAttemptedConsumer(AccountingLog accounting, RecentIds seen) : IConsumer<DeliveryAttempted>
{
    public async Task Consume(ConsumeContext<DeliveryAttempted> context)
    {
        var attempt = context.Message;
        if (!seen.TryAdd(attempt.AttemptId)) return;
        try
        {
            await accounting.WriteAsync(ToRecord(attempt), context.CancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Not written: let the redelivery write it.
            seen.Remove(attempt.AttemptId);
            throw;
        }
    }

    public static AccountingRecord ToRecord(DeliveryAttempted attempt) => new()
    {
        Type = attempt.Outcome switch
        {
            DeliveryOutcome.Delivered => AccountingRecordType.Delivered,
            DeliveryOutcome.Failed => AccountingRecordType.Bounced,
            _ => AccountingRecordType.Transient,
        },
        TimeLogged = attempt.AttemptedAt,
        TimeQueued = attempt.QueuedAt,
        Orig = attempt.MailFrom,
        Rcpt = attempt.Recipient,
        DsnAction = attempt.Outcome switch
        {
            DeliveryOutcome.Delivered => "relayed",
            DeliveryOutcome.Failed => "failed",
            _ => "delayed",
        },
        DsnStatus = $"{attempt.EnhancedStatus} ({StatusText(attempt.EnhancedStatus)})",
        DsnDiag = attempt.SmtpCode > 0 ? $"smtp;{attempt.SmtpCode} {attempt.Diagnostic}" : attempt.Diagnostic,
        DsnMta = attempt.RemoteMta is { } mta ? $"{mta} ({attempt.RemoteIp})" : null,
        VirtualMta = attempt.VirtualMta,
        SourceIp = attempt.SourceIp,
        DestinationIp = attempt.RemoteIp,
        JobId = attempt.JobId,
        MessageId = attempt.HeaderMessageId,
        PipelineId = attempt.MessageId,
        Attempt = attempt.AttemptNumber,
    };

    /// <summary>The class of an enhanced status code in words (RFC 3463 3.1).</summary>
    private static string StatusText(string status) => status.Length > 0 ? status[0] switch
    {
        '2' => "success",
        '4' => "transient failure",
        '5' => "permanent failure",
        _ => "unknown",
    } : "unknown";
}
