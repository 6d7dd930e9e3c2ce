using Pipeline.Contracts;

namespace Pipeline.Dispatcher.Delivery;

/// <summary>What the receiving side said about one recipient.</summary>
public sealed record RecipientResult(
    string Recipient,
    DeliveryOutcome Outcome,
    int SmtpCode,
    string EnhancedStatus,
    string Diagnostic,
    string? RemoteMta,
    string? RemoteIp,
    string? TlsProtocol = null);
