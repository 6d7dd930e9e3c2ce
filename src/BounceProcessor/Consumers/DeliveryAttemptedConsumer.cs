using MassTransit;
using Pipeline.BounceProcessor.Accounting;
using Pipeline.BounceProcessor.Classification;
using Pipeline.BounceProcessor.State;
using Pipeline.BounceProcessor.Telemetry;
using Pipeline.Contracts;
using Pipeline.Shared.Telemetry;

namespace Pipeline.BounceProcessor.Consumers;

/// <summary>Per delivery attempt: remembers the recipient (for asynchronous bounces later), classifies a refusal,
/// writes one accounting line (d, b or t, with the bounce category), publishes <see cref="BounceClassified"/>,
/// suppresses a hard bounce and signals a throttle. Idempotent on the attempt id, so a redelivered event is not
/// counted twice.</summary>
public sealed class DeliveryAttemptedConsumer(AccountingLog accounting, RecentIds seen, ReplyClassifier classifier,
    ISentMessageStore sent, ISuppressionList suppressions, BounceProcessorMetrics metrics, BrokerPublishMetrics publishMetrics,
    ILogger<DeliveryAttemptedConsumer> log) : IConsumer<DeliveryAttempted>
{
    public async Task Consume(ConsumeContext<DeliveryAttempted> context)
    {
        var attempt = context.Message;
        if (!seen.TryAdd(attempt.AttemptId)) return;
        try
        {
            var cancellationToken = context.CancellationToken;
            await sent.RecordAsync(new SentRecipient(attempt.MessageId, attempt.Recipient, attempt.MailFrom, attempt.JobId,
                attempt.VirtualMta, attempt.SourceIp, attempt.HeaderMessageId, attempt.QueuedAt), cancellationToken).ConfigureAwait(false);

            if (attempt.Administrative is not null)
            {
                // An operator ended the recipient (e.g. deleted it): no receiver's reply to classify, nothing to
                // suppress or back off from; the accounting line says so in its category.
                await accounting.WriteAsync(ToRecord(attempt) with { BounceCategory = AdministrativeCategory }, cancellationToken).ConfigureAwait(false);
                return;
            }
            var classification = attempt.Outcome == DeliveryOutcome.Delivered ? null
                : classifier.Classify(attempt.SmtpCode, attempt.EnhancedStatus, attempt.Diagnostic);
            await accounting.WriteAsync(ToRecord(attempt) with { BounceCategory = classification?.Category }, cancellationToken).ConfigureAwait(false);
            if (classification is null) return;

            // A deferral is never hard, whatever the rule says: the Dispatcher will try again.
            var isHard = classification.IsHard && attempt.Outcome == DeliveryOutcome.Failed;
            await publishMetrics.TimeAsync("bounce-processor", nameof(BounceClassified), () => context.Publish(new BounceClassified
            {
                MessageId = attempt.MessageId,
                Recipient = attempt.Recipient,
                Category = classification.Category,
                IsHard = isHard,
                SmtpCode = attempt.SmtpCode,
                EnhancedStatus = attempt.EnhancedStatus,
                Diagnostic = attempt.Diagnostic,
                JobId = attempt.JobId,
                VirtualMta = attempt.VirtualMta,
                MailFrom = attempt.MailFrom,
                RemoteMta = attempt.RemoteMta,
                Source = "reply",
                Rule = classification.RuleId,
                OccurredAt = attempt.AttemptedAt,
            }, cancellationToken)).ConfigureAwait(false);
            metrics.Bounce(classification.Category);
            BounceProcessorLog.Classified(log, attempt.Recipient, classification.Category, isHard, "reply", classification.RuleId, attempt.MessageId);

            if (isHard)
            {
                var entry = new SuppressionEntry(SuppressionEntry.DomainOf(attempt.MailFrom), SuppressionEntry.Normalise(attempt.Recipient),
                    $"{attempt.SmtpCode} {attempt.EnhancedStatus} {attempt.Diagnostic}".Trim(), classification.Category, "bounce", attempt.AttemptedAt);
                if (await suppressions.AddAsync(entry, cancellationToken).ConfigureAwait(false))
                    BounceProcessorLog.Suppressed(log, entry.Recipient, entry.SenderDomain, entry.Reason);
            }
            if (classification.IsBackoff)
            {
                var domain = SuppressionEntry.DomainOf(attempt.Recipient);
                await publishMetrics.TimeAsync("bounce-processor", nameof(BackoffSignalled), () => context.Publish(new BackoffSignalled
                {
                    VirtualMta = attempt.VirtualMta,
                    Domain = domain,
                    RemoteMta = attempt.RemoteMta,
                    SmtpCode = attempt.SmtpCode,
                    EnhancedStatus = attempt.EnhancedStatus,
                    Diagnostic = attempt.Diagnostic,
                    Category = classification.Category,
                    Rule = classification.RuleId,
                    SourceIp = attempt.SourceIp,
                    OccurredAt = attempt.AttemptedAt,
                }, cancellationToken)).ConfigureAwait(false);
                BounceProcessorLog.Backoff(log, domain, attempt.VirtualMta, attempt.Diagnostic);
            }
        }
        catch
        {
            // Not fully handled: let the redelivery do it.
            seen.Remove(attempt.AttemptId);
            throw;
        }
    }

    /// <summary>The bounceCat of a recipient an operator ended (KumoMTA's AdminBounce): never a receiver's verdict.</summary>
    public const string AdministrativeCategory = "admin";

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
    internal static string StatusText(string status) => status.Length > 0 ? status[0] switch
    {
        '2' => "success",
        '4' => "transient failure",
        '5' => "permanent failure",
        _ => "unknown",
    } : "unknown";
}
