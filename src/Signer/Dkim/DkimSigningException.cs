namespace Pipeline.Signer.Dkim;

/// <summary>Why a message cannot be signed.</summary>
public enum DkimFailure
{
    /// <summary>The message is not a well-formed RFC 5322 message (no header section, no or several From, ...).</summary>
    BadMessage,
    /// <summary>No key signs for the author domain, and Signer:RequireSignature says unsigned mail must not leave.</summary>
    NoKey,
}

/// <summary>A message that cannot be signed, for a reason that retrying will not change: it goes to the error queue
/// with <see cref="Exception.Message"/> as the reason (MassTransit's MT-Fault-Message header).</summary>
public sealed class DkimSigningException(DkimFailure failure, string reason)
    : Exception($"DKIM signing failed ({(failure == DkimFailure.NoKey ? "no key" : "bad message")}): {reason}")
{
    public DkimFailure Failure { get; } = failure;
}
