using Pipeline.Shared.Configuration;

namespace Pipeline.Dispatcher.Spool;

/// <summary>The spools of the VirtualMTAs this Dispatcher serves, each under &lt;spool directory&gt;/&lt;VirtualMTA&gt;.
/// Opened (recovered) at start, before the bus starts consuming, and closed with a last flush at stop.</summary>
public sealed class SpoolRegistry(PipelineOptions options, ServedVirtualMtas served, TimeProvider clock, ILoggerFactory logs)
    : IHostedService, IAsyncDisposable
{
    private readonly Dictionary<string, Spool> _spools = new(StringComparer.OrdinalIgnoreCase);
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once every spool is open.</summary>
    public Task Opened => _opened.Task;

    public IReadOnlyCollection<Spool> All => _spools.Values;

    public Spool For(string virtualMta) =>
        _spools.TryGetValue(virtualMta, out var spool)
            ? spool
            : throw new InvalidOperationException($"this Dispatcher does not serve VirtualMTA '{virtualMta}' (Dispatcher:Serve)");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var root = SpoolSettings.RootDirectory(options.Dispatcher);
        var settings = SpoolSettings.From(options.Dispatcher.Spool);
        var log = logs.CreateLogger<Spool>();
        try
        {
            // Recovery reads every segment: run the spools side by side.
            var spools = await Task.WhenAll(served.Names.Select(name => Task.Run(() =>
                Spool.Open(Path.Combine(root, name.ToLowerInvariant()), name, settings, clock, log), cancellationToken))).ConfigureAwait(false);
            foreach (var spool in spools) _spools.Add(spool.VirtualMta, spool);
            _opened.TrySetResult();
        }
        catch (Exception e)
        {
            _opened.TrySetException(e);
            throw;
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        foreach (var spool in _spools.Values) await spool.DisposeAsync().ConfigureAwait(false);
    }
}
