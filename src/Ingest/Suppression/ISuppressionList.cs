namespace Pipeline.Ingest.Suppression;

/// <summary>The recipients a sender domain must not mail any more (hard bounces, complaints, unsubscribes), kept by
/// the BounceProcessor. Ingest asks at RCPT time.</summary>
public interface ISuppressionList
{
    /// <summary>Whether <paramref name="recipient"/> is suppressed for mail from <paramref name="senderDomain"/>
    /// (the envelope sender's domain) or for every sender.</summary>
    ValueTask<bool> IsSuppressedAsync(string senderDomain, string recipient, CancellationToken cancellationToken);
}
