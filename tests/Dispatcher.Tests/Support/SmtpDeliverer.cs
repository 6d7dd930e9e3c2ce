using Pipeline.Dispatcher.Delivery;

namespace Pipeline.Dispatcher.Tests.Support;

/// <summary>One message to the recipients of one destination domain over a connection of its own: open, one
/// transaction, QUIT; the connector and session the queue workers use, without traffic control, for tests.</summary>
public sealed class SmtpDeliverer(OutboundConnector connector)
{
    public async Task<IReadOnlyList<RecipientResult>> DeliverAsync(Pipeline.Contracts.MessageSigned message, string domain,
        IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        var (session, failure) = await connector.OpenAsync(message.VirtualMta, domain, cancellationToken).ConfigureAwait(false);
        if (session is null) return failure!.For(recipients);
        await using (session.ConfigureAwait(false))
            return await session.SendAsync(message, recipients, cancellationToken).ConfigureAwait(false);
    }
}
