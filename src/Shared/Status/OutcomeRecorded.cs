namespace Pipeline.Shared.Status;

/// <summary>One recipient outcome as the BounceProcessor accounted it.</summary>
/// <param name="Type">The accounting record type: d, b, rb, t or f (<see cref="StatusCounter"/>).</param>
/// <param name="At">When it happened.</param>
/// <param name="Recipient">The full recipient address; boards keep it masked (<see cref="RecentEvent.Mask"/>).</param>
/// <param name="Category">The bounce category, for everything but a delivery.</param>
/// <param name="Status">The enhanced status code (5.1.1).</param>
/// <param name="VirtualMta">The VirtualMTA the message left through, when known.</param>
/// <param name="Diagnostic">The receiver's reply or the report's diagnostic: attacker-controlled text.</param>
public sealed record OutcomeRecorded(string Type, DateTimeOffset At, string Recipient, string? Category, string? Status,
    string? VirtualMta, string? Diagnostic);
