namespace Pipeline.Ingest.Suppression;

/// <summary>Used when no Redis is configured (the standalone host) or Ingest:Smtp:Suppressed is off.</summary>
public sealed class NoSuppressionList : ISuppressionList
{
    public ValueTask<bool> IsSuppressedAsync(string senderDomain, string recipient, CancellationToken cancellationToken) =>
        ValueTask.FromResult(false);
}
