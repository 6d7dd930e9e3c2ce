using MassTransit;
using Pipeline.BounceProcessor.Accounting;
using Pipeline.BounceProcessor.Feedback;
using Pipeline.BounceProcessor.Reports;
using Pipeline.BounceProcessor.State;
using Pipeline.BounceProcessor.Telemetry;
using Pipeline.Contracts;
using Pipeline.Shared.Configuration;
using Pipeline.Shared.Telemetry;
using Pipeline.Shared.Verp;

namespace Pipeline.BounceProcessor.Consumers;

/// <summary>Messages that came back to the return path or the feedback address: parses them (DSN, non-standard
/// bounce, ARF), maps each record back to the message we sent (by the VERP envelope recipient, else by the returned
/// Message-ID), and records it: <c>rb</c> + <see cref="BounceClassified"/> for a bounce, <c>f</c> +
/// <see cref="FeedbackReceived"/> with its XARF document for a complaint; hard bounces and complaints suppress the
/// recipient. Idempotent on the inbound message id.</summary>
public sealed class InboundReportReceivedConsumer(InboundReportParser parser, AccountingLog accounting, RecentIds seen,
    ISentMessageStore sent, ISuppressionList suppressions, PipelineOptions options, BounceProcessorMetrics metrics,
    BrokerPublishMetrics publishMetrics, ILogger<InboundReportReceivedConsumer> log) : IConsumer<InboundReportReceived>
{
    public async Task Consume(ConsumeContext<InboundReportReceived> context)
    {
        var inbound = context.Message;
        if (!seen.TryAdd(inbound.MessageId)) return;
        try
        {
            await HandleAsync(context, inbound, context.CancellationToken).ConfigureAwait(false);
        }
        catch
        {
            seen.Remove(inbound.MessageId);
            throw;
        }
    }

    private async Task HandleAsync(ConsumeContext context, InboundReportReceived inbound, CancellationToken cancellationToken)
    {
        InboundReport report;
        try
        {
            report = parser.Parse(inbound.Content);
        }
        catch (FormatException e)
        {
            // Not mail at all: nothing will ever parse it, so retrying is pointless.
            BounceProcessorLog.Unreadable(log, inbound.MessageId, e.Message);
            return;
        }
        if (report.Recipients.Count == 0) BounceProcessorLog.NothingFound(log, inbound.MessageId);

        var (verpMessageId, verpOriginal) = await FromVerpAsync(inbound, cancellationToken).ConfigureAwait(false);
        var headerMessageId = verpMessageId is null && report.OriginalMessageId is { Length: > 0 } mid
            ? await sent.FindByHeaderMessageIdAsync(mid, cancellationToken).ConfigureAwait(false) : null;
        var messageId = verpMessageId ?? headerMessageId;

        foreach (var record in report.Recipients)
        {
            // The VERP address names exactly one recipient; otherwise look the reported recipient up in the message.
            var original = verpOriginal ?? (messageId is { } id && record.Recipient.Length > 0
                ? await sent.FindAsync(id, record.Recipient, cancellationToken).ConfigureAwait(false) : null);
            var recipient = original?.Recipient ?? record.Recipient;
            switch (record.Kind)
            {
                case ReportKind.Bounce:
                    await BounceAsync(context, inbound, report, record, original, messageId, recipient, cancellationToken).ConfigureAwait(false);
                    break;
                case ReportKind.Feedback when report.Feedback is { } feedback:
                    await FeedbackAsync(context, inbound, feedback, original, messageId, recipient, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    BounceProcessorLog.Ignored(log, inbound.MessageId, record.Kind, recipient);
                    break;
            }
        }
    }

    private async Task<(Guid? MessageId, SentRecipient? Original)> FromVerpAsync(InboundReportReceived inbound, CancellationToken cancellationToken)
    {
        if (options.Bounce.ReturnPathDomain is not { Length: > 0 } domain) return (null, null);
        foreach (var rcpt in inbound.Recipients)
        {
            if (!VerpAddress.TryDecode(rcpt, domain, out var messageId, out var tag)) continue;
            return (messageId, await sent.FindAsync(messageId, tag, cancellationToken).ConfigureAwait(false));
        }
        return (null, null);
    }

    private async Task BounceAsync(ConsumeContext context, InboundReportReceived inbound, InboundReport report, RecipientReport record,
        SentRecipient? original, Guid? messageId, string recipient, CancellationToken cancellationToken)
    {
        var category = record.Category ?? Classification.BounceCategory.Other;
        await accounting.WriteAsync(new AccountingRecord
        {
            Type = AccountingRecordType.RemoteBounce,
            TimeLogged = inbound.ReceivedAt,
            TimeQueued = original?.QueuedAt,
            Orig = original?.MailFrom ?? report.OriginalReturnPath,
            Rcpt = recipient,
            DsnAction = record.Action ?? "failed",
            DsnStatus = $"{record.Status} ({DeliveryAttemptedConsumer.StatusText(record.Status)})",
            DsnDiag = record.Diagnostic,
            DsnMta = record.RemoteMta ?? report.ReportingMta,
            BounceCategory = category,
            VirtualMta = original?.VirtualMta,
            SourceIp = original?.SourceIp,
            JobId = original?.JobId ?? report.OriginalJobId,
            MessageId = original?.HeaderMessageId ?? report.OriginalMessageId?.Trim('<', '>'),
            PipelineId = messageId,
        }, cancellationToken).ConfigureAwait(false);
        await publishMetrics.TimeAsync("bounce-processor", nameof(BounceClassified), () => context.Publish(new BounceClassified
        {
            MessageId = messageId,
            Recipient = recipient,
            Category = category,
            IsHard = record.IsHard,
            SmtpCode = record.ReplyCode,
            EnhancedStatus = record.Status,
            Diagnostic = record.Diagnostic,
            JobId = original?.JobId ?? report.OriginalJobId,
            VirtualMta = original?.VirtualMta,
            MailFrom = original?.MailFrom ?? report.OriginalReturnPath,
            RemoteMta = record.RemoteMta ?? report.ReportingMta,
            Source = "dsn",
            Rule = record.RuleId,
            OccurredAt = inbound.ReceivedAt,
        }, cancellationToken)).ConfigureAwait(false);
        metrics.Bounce(category);
        BounceProcessorLog.Classified(log, recipient, category, record.IsHard, "dsn", record.RuleId, messageId);
        if (record.IsHard)
            await SuppressAsync(original?.MailFrom ?? report.OriginalReturnPath, recipient, record.Diagnostic, category, "bounce", inbound.ReceivedAt, cancellationToken).ConfigureAwait(false);
    }

    private async Task FeedbackAsync(ConsumeContext context, InboundReportReceived inbound, FeedbackReport feedback,
        SentRecipient? original, Guid? messageId, string recipient, CancellationToken cancellationToken)
    {
        var fallbackSender = options.Bounce.FblAddress is { Length: > 0 } fbl ? fbl : $"postmaster@{options.Bounce.ReturnPathDomain ?? "localhost.localdomain"}";
        var xarf = XarfReport.Create(feedback with { OriginalMailFrom = feedback.OriginalMailFrom ?? original?.MailFrom },
            inbound.MessageId, inbound.ReceivedAt, fallbackSender);
        await accounting.WriteAsync(new AccountingRecord
        {
            Type = AccountingRecordType.Feedback,
            TimeLogged = inbound.ReceivedAt,
            TimeQueued = original?.QueuedAt,
            Orig = original?.MailFrom ?? feedback.OriginalMailFrom,
            Rcpt = recipient,
            DsnAction = "complained",
            DsnDiag = $"feedback-type={feedback.FeedbackType}" + (feedback.UserAgent is { } ua ? $"; user-agent={ua}" : ""),
            DsnMta = feedback.ReportingMta ?? feedback.Reporter,
            BounceCategory = "feedback",
            VirtualMta = original?.VirtualMta,
            SourceIp = original?.SourceIp ?? feedback.SourceIp,
            JobId = original?.JobId,
            MessageId = original?.HeaderMessageId ?? feedback.OriginalMessageId?.Trim('<', '>'),
            PipelineId = messageId,
        }, cancellationToken).ConfigureAwait(false);
        await publishMetrics.TimeAsync("bounce-processor", nameof(FeedbackReceived), () => context.Publish(new FeedbackReceived
        {
            FeedbackType = feedback.FeedbackType,
            OriginalRecipient = recipient.Length > 0 ? recipient : null,
            OriginalMailFrom = feedback.OriginalMailFrom ?? original?.MailFrom,
            SourceIp = feedback.SourceIp,
            ArrivalDate = feedback.ArrivalDate,
            OriginalMessageId = feedback.OriginalMessageId,
            Reporter = feedback.UserAgent ?? feedback.ReportingMta ?? feedback.Reporter,
            MessageId = messageId,
            JobId = original?.JobId,
            ReportedDomain = feedback.ReportedDomain,
            ReceivedAt = inbound.ReceivedAt,
            Xarf = xarf,
        }, cancellationToken)).ConfigureAwait(false);
        metrics.Feedback(feedback.FeedbackType);
        BounceProcessorLog.Feedback(log, feedback.FeedbackType, recipient, messageId);
        // A complaint (abuse, fraud...) means "stop mailing me"; "not-spam" reports mean the opposite.
        if (recipient.Length > 0 && feedback.FeedbackType is not "not-spam")
            await SuppressAsync(original?.MailFrom ?? feedback.OriginalMailFrom, recipient, $"complaint: {feedback.FeedbackType}", "complaint", "complaint", inbound.ReceivedAt, cancellationToken).ConfigureAwait(false);
    }

    private async Task SuppressAsync(string? mailFrom, string recipient, string reason, string category, string source, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (!recipient.Contains('@')) return;
        var entry = new SuppressionEntry(SuppressionEntry.DomainOf(mailFrom), SuppressionEntry.Normalise(recipient), reason, category, source, at);
        if (await suppressions.AddAsync(entry, cancellationToken).ConfigureAwait(false))
            BounceProcessorLog.Suppressed(log, entry.Recipient, entry.SenderDomain, reason);
    }
}
