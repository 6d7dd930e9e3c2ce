using System.Text;
using MassTransit;
using Pipeline.Contracts;
using Pipeline.Ingest.Mime;
using Pipeline.Ingest.Telemetry;
using Pipeline.Shared.Configuration;
using Pipeline.Shared.Telemetry;
using Pipeline.Shared.Status;

namespace Pipeline.Ingest.Submission;

/// <summary>Turns a received message into <see cref="MessageAccepted"/> and publishes it, returning only once the
/// broker confirmed (or did not, in time). Shared by every way in: SMTP, HTTP and the broker. The raw bytes are
/// kept; the only edits are in the header section: Received and Message-ID (when missing) and List-Unsubscribe
/// (when configured and missing) on top, X-Virtual-MTA and X-Job removed.</summary>
public sealed class MessageSubmitter(IBus bus, PipelineOptions options, ListUnsubscribe listUnsubscribe, TimeProvider clock,
    IngestMetrics metrics, BrokerPublishMetrics publishMetrics, IStatusBoard board, ILogger<MessageSubmitter> log)
{
    /// <summary>PowerMTA-style control headers: read, then removed so they never reach the recipient.</summary>
    public const string VirtualMtaHeader = "X-Virtual-MTA";
    public const string JobHeader = "X-Job";
    private static readonly string[] ControlHeaders = [VirtualMtaHeader, JobHeader];

    private readonly TimeSpan _publishTimeout = DurationText.Parse(options.Ingest.Smtp.PublishTimeout);
    private readonly string _serverName = options.Ingest.Smtp.ServerName is { Length: > 0 } name ? name : Environment.MachineName;

    /// <summary>True when <paramref name="name"/> is a VirtualMTA or a pool.</summary>
    public bool IsKnownVirtualMta(string name) => options.VirtualMtas.ContainsKey(name) || options.Pools.ContainsKey(name);

    public async Task<SubmissionResult> SubmitAsync(Envelope envelope, ReadOnlyMemory<byte> raw, CancellationToken cancellationToken)
    {
        // Bounces and feedback reports coming back to us go to the BounceProcessor, not out again.
        if (InboundReportRouting.IsInboundReport(envelope, options.Bounce))
            return await SubmitReportAsync(envelope, raw, cancellationToken).ConfigureAwait(false);
        var virtualMta = envelope.VirtualMta ?? HeaderSection.Get(raw.Span, VirtualMtaHeader);
        if (virtualMta is { Length: > 0 } && !IsKnownVirtualMta(virtualMta))
            return new SubmissionResult(SubmissionStatus.UnknownVirtualMta, Guid.Empty, virtualMta);
        var jobId = envelope.JobId ?? HeaderSection.Get(raw.Span, JobHeader);
        var givenMessageId = HeaderSection.Get(raw.Span, "Message-ID")?.Trim('<', '>', ' ');

        // A List-Unsubscribe naming the recipient makes each recipient's copy different: one message each.
        bool addUnsubscribe = listUnsubscribe.Enabled && HeaderSection.Get(raw.Span, ListUnsubscribe.HeaderName) is null;
        IReadOnlyList<IReadOnlyList<string>> copies = addUnsubscribe && listUnsubscribe.PerRecipient && envelope.Recipients.Count > 1
            ? envelope.Recipients.Select(r => (IReadOnlyList<string>)[r]).ToArray()
            : [envelope.Recipients];

        var now = clock.GetUtcNow();
        var messages = new MessageAccepted[copies.Count];
        for (int i = 0; i < copies.Count; i++)
        {
            var messageId = NewId.NextGuid();
            var prepend = new StringBuilder(ReceivedHeader.Format(envelope.ClientHelo, envelope.ClientAddress, _serverName, envelope.Protocol, messageId, now));
            var headerMessageId = givenMessageId;
            if (string.IsNullOrEmpty(headerMessageId))
            {
                // Every message needs a Message-ID to be traced and to be accepted by the big providers.
                headerMessageId = $"{messageId:N}@{_serverName}";
                prepend.Append("Message-ID: <").Append(headerMessageId).Append(">\r\n");
            }
            if (addUnsubscribe) prepend.Append(listUnsubscribe.Headers(copies[i][0]));
            messages[i] = new MessageAccepted
            {
                MessageId = messageId,
                AcceptedAt = now,
                MailFrom = envelope.MailFrom,
                Recipients = copies[i],
                VirtualMta = string.IsNullOrEmpty(virtualMta) ? null : virtualMta,
                JobId = string.IsNullOrEmpty(jobId) ? null : jobId,
                HeaderMessageId = headerMessageId,
                Channel = envelope.Channel,
                ClientAddress = envelope.ClientAddress,
                Content = HeaderSection.Rewrite(raw.Span, ControlHeaders, prepend.ToString()),
            };
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_publishTimeout);
        var published = await Task.WhenAll(messages.Select(m => PublishAsync(m, timeout.Token, cancellationToken))).ConfigureAwait(false);
        if (published.FirstOrDefault(p => p.Failure is not null).Failure is { } failure)
            return new SubmissionResult(SubmissionStatus.BrokerUnavailable, messages[0].MessageId, failure);
        for (int i = 0; i < messages.Length; i++)
        {
            var m = messages[i];
            metrics.Accepted(envelope.Channel);
            IngestLog.Accepted(log, m.MessageId, envelope.Channel, envelope.MailFrom, m.Recipients.Count, m.Content.Length, published[i].TraceId);
        }
        await board.RecordAcceptedAsync(messages.Length, now, cancellationToken).ConfigureAwait(false);
        return new SubmissionResult(SubmissionStatus.Accepted, messages[0].MessageId) { MessageIds = messages.Select(m => m.MessageId).ToArray() };
    }

    private async Task<SubmissionResult> SubmitReportAsync(Envelope envelope, ReadOnlyMemory<byte> raw, CancellationToken cancellationToken)
    {
        var messageId = NewId.NextGuid();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_publishTimeout);
        using var activity = IngestActivities.StartAccept(messageId, envelope.Channel);
        try
        {
            // Confirmed like any accepted message: the reporting MTA gets 250 only once the broker has the report.
            await publishMetrics.TimeAsync("ingest", nameof(InboundReportReceived), () =>
                bus.Publish(InboundReportRouting.ToReport(messageId, envelope, raw, clock), ctx => ctx.MessageId = messageId, timeout.Token))
                .ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            IngestLog.PublishFailed(log, messageId, e.Message);
            return new SubmissionResult(SubmissionStatus.BrokerUnavailable, messageId, e.Message);
        }
        IngestLog.Accepted(log, messageId, envelope.Channel, envelope.MailFrom, envelope.Recipients.Count, raw.Length, TraceIdOf(activity));
        return new SubmissionResult(SubmissionStatus.Accepted, messageId) { MessageIds = [messageId] };
    }

    /// <summary>Publishes one message in its own trace ("accept" activity); Failure is null when the broker confirmed.</summary>
    private async Task<(string? Failure, string TraceId)> PublishAsync(MessageAccepted message, CancellationToken timeout, CancellationToken cancellationToken)
    {
        using var activity = IngestActivities.StartAccept(message.MessageId, message.Channel);
        try
        {
            // With publisher confirms on, this completes when RabbitMQ has the message: only then may we say 250.
            // Any failure (timeout, connection refused, channel closed) means the broker does not have it.
            await publishMetrics.TimeAsync("ingest", nameof(MessageAccepted), () =>
                bus.Publish(message, ctx => ctx.MessageId = message.MessageId, timeout)).ConfigureAwait(false);
            return (null, TraceIdOf(activity));
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, e.Message);
            IngestLog.PublishFailed(log, message.MessageId, e.Message);
            return (e.Message, TraceIdOf(activity));
        }
    }

    private static string TraceIdOf(System.Diagnostics.Activity? activity) => activity?.TraceId.ToHexString() ?? "-";
}
