using Pipeline.Contracts;
using Pipeline.Shared.Configuration;
using Pipeline.Shared.Verp;

namespace Pipeline.Ingest.Submission;

/// <summary>Mail for the VERP return-path domain (asynchronous bounces) or the feedback-loop address (ARF
/// complaints) is a report about mail we sent: it goes to the BounceProcessor as <see cref="InboundReportReceived"/>.</summary>
public static class InboundReportRouting
{
    public static bool IsInboundReport(Envelope envelope, BounceOptions bounce) =>
        envelope.Recipients.Count > 0 && envelope.Recipients.All(r =>
            VerpAddress.IsReturnPath(r, bounce.ReturnPathDomain) ||
            (bounce.FblAddress is { Length: > 0 } fbl && r.Equals(fbl, StringComparison.OrdinalIgnoreCase)));

    public static InboundReportReceived ToReport(Guid messageId, Envelope envelope, ReadOnlyMemory<byte> raw, TimeProvider clock) => new()
    {
        MessageId = messageId,
        ReceivedAt = clock.GetUtcNow(),
        MailFrom = envelope.MailFrom,
        Recipients = envelope.Recipients,
        ClientAddress = envelope.ClientAddress,
        Content = raw.ToArray(),
    };
}
