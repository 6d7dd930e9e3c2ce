namespace Pipeline.Contracts;

/// <summary>A message that came back to us rather than one to deliver: addressed to the VERP return-path domain
/// (an asynchronous bounce) or to the feedback-loop address (an ARF complaint). Ingest publishes it instead of
/// MessageAccepted; the BounceProcessor parses it.</summary>
public sealed record InboundReportReceived
{
    /// <summary>Id Ingest gave the message.</summary>
    public required Guid MessageId { get; init; }
    /// <summary>When Ingest accepted it.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }
    /// <summary>Envelope sender (usually empty: bounces are sent with a null return path).</summary>
    public required string MailFrom { get; init; }
    /// <summary>Envelope recipients: the VERP address encodes the original message and recipient.</summary>
    public required IReadOnlyList<string> Recipients { get; init; }
    /// <summary>The client that sent it.</summary>
    public string? ClientAddress { get; init; }
    /// <summary>The message exactly as received.</summary>
    public required byte[] Content { get; init; }
}
