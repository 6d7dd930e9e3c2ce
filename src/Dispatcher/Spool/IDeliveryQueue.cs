namespace Pipeline.Dispatcher.Spool;

/// <summary>The seam between the spool and delivery: delivery takes due work and reports each recipient's outcome;
/// how it delivers (connections, throttles, backoff) is its own business. A taken recipient stays "in flight" until
/// its outcome is reported; if the process dies first, it is due again after the restart.</summary>
public interface IDeliveryQueue
{
    string VirtualMta { get; }

    /// <summary>Takes up to <paramref name="maxRecipients"/> recipients due now, grouped per message and domain,
    /// skipping the domains <paramref name="acceptDomain"/> refuses (their recipients stay queued).</summary>
    IReadOnlyList<DueDelivery> TakeDue(int maxRecipients, Func<string, bool>? acceptDomain = null);

    /// <summary>When the earliest waiting recipient is due, or null when nothing waits.</summary>
    DateTimeOffset? NextDueAt { get; }

    /// <summary>Completes when new work may have arrived (a message stored), or at <paramref name="timeout"/>.</summary>
    Task WaitForWorkAsync(TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Records the outcomes durably (returns after the flush): final ones end the recipient, deferrals wait
    /// for their next attempt time.</summary>
    Task CompleteAsync(IReadOnlyList<RecipientCompletion> completions, CancellationToken cancellationToken);
}
