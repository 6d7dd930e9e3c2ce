using System.Collections.Concurrent;

namespace Pipeline.Dispatcher.Management;

/// <summary>Pauses in this process: for the standalone host, where one process is the whole fleet. Lost at restart.</summary>
public sealed class LocalPauseStore : IPauseStore
{
    private readonly ConcurrentDictionary<string, Pause> _pauses = new();

    public Task<IReadOnlyList<Pause>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Pause>>([.. _pauses.Values.OrderBy(p => p.PausedAt)]);

    public Task<bool> AddAsync(Pause pause, CancellationToken cancellationToken) => Task.FromResult(_pauses.TryAdd(pause.Target.Key, pause));

    public Task<bool> RemoveAsync(PauseTarget target, CancellationToken cancellationToken) => Task.FromResult(_pauses.TryRemove(target.Key, out _));
}
