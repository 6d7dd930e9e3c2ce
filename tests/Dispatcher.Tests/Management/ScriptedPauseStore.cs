using Pipeline.Dispatcher.Management;

namespace Pipeline.Dispatcher.Tests.Management;

/// <summary>A <see cref="LocalPauseStore"/> that can be made unreachable (as Redis down) or made to answer one list
/// late with what it held when asked (as a slow Redis round trip), to test the synchronizer's ordering.</summary>
public sealed class ScriptedPauseStore : IPauseStore
{
    private readonly LocalPauseStore _inner = new();
    private TaskCompletionSource? _holdNextList;

    /// <summary>While true every call fails as a store that does not answer.</summary>
    public bool Unreachable { get; set; }

    /// <summary>The next list reads the pauses now and returns them only when the returned source is completed.</summary>
    public TaskCompletionSource DelayNextList() =>
        _holdNextList = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<IReadOnlyList<Pause>> ListAsync(CancellationToken cancellationToken)
    {
        ThrowIfUnreachable();
        var pauses = await _inner.ListAsync(cancellationToken);
        if (Interlocked.Exchange(ref _holdNextList, null) is { } hold) await hold.Task.WaitAsync(cancellationToken);
        return pauses;
    }

    public Task<bool> AddAsync(Pause pause, CancellationToken cancellationToken)
    {
        ThrowIfUnreachable();
        return _inner.AddAsync(pause, cancellationToken);
    }

    public Task<bool> RemoveAsync(PauseTarget target, CancellationToken cancellationToken)
    {
        ThrowIfUnreachable();
        return _inner.RemoveAsync(target, cancellationToken);
    }

    private void ThrowIfUnreachable()
    {
        if (Unreachable) throw new InvalidOperationException("pause store unreachable (test)");
    }
}
