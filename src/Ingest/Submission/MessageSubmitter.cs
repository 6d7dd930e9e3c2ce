using MassTransit;
using Pipeline.Contracts;
using Pipeline.Ingest.Mime;
using Pipeline.Shared.Configuration;

namespace Pipeline.Ingest.Submission;

/// <summary>Turns a received message into <see cref="MessageAccepted"/> and publishes it, returning only once the
/// broker confirmed (or did not, in time). Shared by every way in: SMTP, HTTP and the broker.</summary>
public sealed class MessageSubmitter(IBus bus, PipelineOptions options, TimeProvider clock, ILogger<MessageSubmitter> log)
{
    /// <summary>PowerMTA-style control headers: read, then removed so they never reach the recipient.</summary>
    public const string VirtualMtaHeader = "X-Virtual-MTA";
    public const string JobHeader = "X-Job";
    private static readonly string[] ControlHeaders = [VirtualMtaHeader, JobHeader];

    private readonly TimeSpan _publishTimeout = DurationText.Parse(options.Ingest.Smtp.PublishTimeout);

    public async Task<SubmissionResult> SubmitAsync(Envelope envelope, ReadOnlyMemory<byte> raw, CancellationToken cancellationToken)
    {
        var messageId = NewId.NextGuid();
        // Bounces and feedback reports coming back to us go to the BounceProcessor, not out again.
        if (InboundReportRouting.IsInboundReport(envelope, options.Bounce))
            return await PublishAsync(InboundReportRouting.ToReport(messageId, envelope, raw, clock), messageId, envelope, raw.Length, cancellationToken).ConfigureAwait(false);
        var virtualMta = HeaderSection.Get(raw.Span, VirtualMtaHeader);
        if (virtualMta is { Length: > 0 } && !options.VirtualMtas.ContainsKey(virtualMta) && !options.Pools.ContainsKey(virtualMta))
            return new SubmissionResult(SubmissionStatus.UnknownVirtualMta, messageId, virtualMta);

        var headerMessageId = HeaderSection.Get(raw.Span, "Message-ID")?.Trim('<', '>', ' ');
        string? prepend = null;
        if (string.IsNullOrEmpty(headerMessageId))
        {
            // Every message needs a Message-ID to be traced and to be accepted by the big providers.
            headerMessageId = $"{messageId:N}@{ServerName}";
            prepend = $"Message-ID: <{headerMessageId}>\r\n";
        }
        var content = HeaderSection.Rewrite(raw.Span, ControlHeaders, prepend);

        var accepted = new MessageAccepted
        {
            MessageId = messageId,
            AcceptedAt = clock.GetUtcNow(),
            MailFrom = envelope.MailFrom,
            Recipients = envelope.Recipients,
            VirtualMta = string.IsNullOrEmpty(virtualMta) ? null : virtualMta,
            JobId = HeaderSection.Get(raw.Span, JobHeader) is { Length: > 0 } job ? job : null,
            HeaderMessageId = headerMessageId,
            Channel = envelope.Channel,
            ClientAddress = envelope.ClientAddress,
            Content = content,
        };

        return await PublishAsync(accepted, messageId, envelope, content.Length, cancellationToken).ConfigureAwait(false);
    }

    private async Task<SubmissionResult> PublishAsync<T>(T message, Guid messageId, Envelope envelope, int length, CancellationToken cancellationToken)
        where T : class
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_publishTimeout);
        try
        {
            // With publisher confirms on, this completes when RabbitMQ has the message: only then may we say 250.
            // Any failure (timeout, connection refused, channel closed) means the broker does not have it.
            await bus.Publish(message, ctx => ctx.MessageId = messageId, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            IngestLog.PublishFailed(log, messageId, e.Message);
            return new SubmissionResult(SubmissionStatus.BrokerUnavailable, messageId, e.Message);
        }
        IngestLog.Accepted(log, messageId, envelope.Channel, envelope.MailFrom, envelope.Recipients.Count, length);
        return new SubmissionResult(SubmissionStatus.Accepted, messageId);
    }

    private string ServerName => options.Ingest.Smtp.ServerName is { Length: > 0 } name ? name : Environment.MachineName;
}
