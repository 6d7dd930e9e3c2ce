namespace Pipeline.Shared.Status;

/// <summary>What the web monitor shows, written by the services as mail flows: messages accepted (Ingest), outcomes
/// with their bounce categories and the latest bounces and complaints (BounceProcessor), and every Dispatcher's queue
/// snapshot. <see cref="RedisStatusBoard"/> shares it across a fleet; <see cref="InProcessStatusBoard"/> serves the
/// standalone host. Writes never throw: the board is for watching, and must not stop mail when its store is away.</summary>
public interface IStatusBoard
{
    /// <summary>Counts <paramref name="messages"/> accepted by Ingest at <paramref name="at"/>.</summary>
    Task RecordAcceptedAsync(int messages, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Counts one recipient outcome (an accounting record); bounces and complaints are kept among the recent ones.</summary>
    Task RecordOutcomeAsync(OutcomeRecorded outcome, CancellationToken cancellationToken);

    /// <summary>Replaces one Dispatcher's queue snapshot; it disappears after <paramref name="timeToLive"/> unless
    /// published again, so a dead worker leaves the fleet view by itself.</summary>
    Task PublishQueuesAsync(DispatcherSnapshot snapshot, TimeSpan timeToLive, CancellationToken cancellationToken);

    /// <summary>Everything the monitor shows, with per-minute counts for the <paramref name="minutes"/> minutes up to
    /// <paramref name="now"/>.</summary>
    Task<StatusOverview> ReadAsync(DateTimeOffset now, int minutes, CancellationToken cancellationToken);
}
