namespace Pipeline.Ingest.Suppression;

/// <summary>Ingest:Smtp:Suppressed: what happens to a suppressed recipient.</summary>
public enum SuppressionMode
{
    /// <summary>550 5.7.1 at RCPT: the sender learns at once.</summary>
    Refuse,
    /// <summary>250 at RCPT, then left out of the message: the sender's list hygiene is not disturbed.</summary>
    Drop,
    /// <summary>No check.</summary>
    Off,
}
