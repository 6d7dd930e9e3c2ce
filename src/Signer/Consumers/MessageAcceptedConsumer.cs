using MassTransit;
using Pipeline.Contracts;
using Pipeline.Shared.Messaging;
using Pipeline.Shared.Telemetry;
using Pipeline.Signer.Telemetry;
using Pipeline.Signer.Dkim;
using Pipeline.Signer.Routing;

namespace Pipeline.Signer.Consumers;

/// <summary>Signs an accepted message with the keys of its author domain and sends it to the dispatch queue of
/// the VirtualMTA chosen for it.</summary>
public sealed class MessageAcceptedConsumer(MessageSigner signer, VirtualMtaSelector selector, SignerMetrics metrics,
    BrokerPublishMetrics publishMetrics, ILogger<MessageAcceptedConsumer> log)
    : IConsumer<MessageAccepted>
{
    public async Task Consume(ConsumeContext<MessageAccepted> context)
    {
        var accepted = context.Message;
        // Ingest validated the name; a name unknown here means the configurations differ between services.
        var virtualMta = selector.Select(accepted.VirtualMta)
            ?? throw new InvalidOperationException($"VirtualMTA or pool '{accepted.VirtualMta}' is not configured in this Signer");

        MessageSigner.Result result;
        try
        {
            result = signer.Sign(accepted.Content);
        }
        catch (DkimSigningException e)
        {
            SignerLog.SigningFailed(log, accepted.MessageId, e.Message);
            throw;
        }
        if (result.Signatures.Count == 0)
            SignerLog.Unsigned(log, accepted.MessageId, result.AuthorDomain ?? "(no From)");
        else
            SignerLog.Signed(log, accepted.MessageId, string.Join(" | ", result.Signatures), virtualMta);

        var signed = new MessageSigned
        {
            MessageId = accepted.MessageId,
            AcceptedAt = accepted.AcceptedAt,
            MailFrom = accepted.MailFrom,
            Recipients = accepted.Recipients,
            VirtualMta = virtualMta,
            JobId = accepted.JobId,
            HeaderMessageId = accepted.HeaderMessageId,
            Signatures = result.Signatures,
            Content = result.Content,
        };
        var endpoint = await context.GetSendEndpoint(new Uri($"queue:{EntityNames.DispatchQueue(virtualMta)}")).ConfigureAwait(false);
        await publishMetrics.TimeAsync("signer", nameof(MessageSigned), () =>
            endpoint.Send(signed, ctx => ctx.MessageId = accepted.MessageId, context.CancellationToken)).ConfigureAwait(false);
        metrics.Signed(result.Signatures);
    }
}
