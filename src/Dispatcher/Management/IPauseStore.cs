namespace Pipeline.Dispatcher.Management;

/// <summary>Where pauses live so that every Dispatcher worker holds the same ones and they outlast a restart: Redis
/// when configured (<see cref="RedisPauseStore"/>), this process otherwise (<see cref="LocalPauseStore"/>, the
/// standalone host).</summary>
public interface IPauseStore
{
    Task<IReadOnlyList<Pause>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Adds a pause; false when it was in force already (its time is kept).</summary>
    Task<bool> AddAsync(Pause pause, CancellationToken cancellationToken);

    /// <summary>Lifts a pause; false when it was not in force.</summary>
    Task<bool> RemoveAsync(PauseTarget target, CancellationToken cancellationToken);
}
