using Pipeline.Contracts;

namespace Pipeline.Dispatcher.Delivery;

/// <summary>Why no session could be opened to a domain: a refusal at greeting or EHLO (the host has spoken for the
/// domain), no usable host, or a permanent routing failure. Applies to every recipient waiting for that domain.</summary>
public sealed record ConnectFailure(DeliveryOutcome Outcome, int SmtpCode, string EnhancedStatus, string Diagnostic, string? RemoteMta, string? RemoteIp)
{
    public IReadOnlyList<RecipientResult> For(IEnumerable<string> recipients) =>
        recipients.Select(r => new RecipientResult(r, Outcome, SmtpCode, EnhancedStatus, Diagnostic, RemoteMta, RemoteIp)).ToList();
}
