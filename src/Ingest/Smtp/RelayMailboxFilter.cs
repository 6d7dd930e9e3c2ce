using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Pipeline.Ingest.Smtp;

/// <summary>Applies the <see cref="RelayPolicy"/> at RCPT time, with a precise reply.</summary>
public sealed class RelayMailboxFilter(RelayPolicy policy, ILogger<RelayMailboxFilter> log) : IMailboxFilter
{
    public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size, CancellationToken cancellationToken) =>
        Task.FromResult(true);

    public Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken)
    {
        if (policy.MayRelay(context.RemoteEndPoint()?.Address, context.Authentication.IsAuthenticated))
            return Task.FromResult(true);
        IngestLog.RelayDenied(log, context.ClientAddress(), to.AsAddress());
        throw new SmtpResponseException(new SmtpResponse(SmtpReplyCode.MailboxUnavailable,
            $"5.7.1 <{to.AsAddress()}>: Relaying denied: {context.ClientAddress()} may not relay without authentication"));
    }
}
