using System.Text.Json;
using Pipeline.Shared.Configuration;

namespace Pipeline.Dispatcher.Queue;

/// <summary>Deferred messages on disk, one file each, written to a temporary name, flushed to the device and
/// renamed, so a crash leaves either the old or the new version and never half of one. Deliberately simple: the
/// memory-mapped spool (its own issue) replaces it, behind the same three calls.</summary>
public sealed class DeferredStore
{
    private readonly string _directory;
    private readonly ILogger<DeferredStore> _log;

    public DeferredStore(PipelineOptions options, ILogger<DeferredStore> log)
    {
        _directory = Path.GetFullPath(Path.Combine(options.Dispatcher.DataDirectory, "deferred"));
        _log = log;
        Directory.CreateDirectory(_directory);
    }

    public async Task SaveAsync(DeferredMessage deferred, CancellationToken cancellationToken)
    {
        var path = PathOf(deferred.Message.MessageId, deferred.Message.VirtualMta);
        var temporary = path + ".tmp";
        await using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
        {
            await JsonSerializer.SerializeAsync(file, deferred, cancellationToken: cancellationToken).ConfigureAwait(false);
            // The broker message is acknowledged after this returns: the bytes must be on the device, not in the page cache.
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    public void Remove(Guid messageId, string virtualMta) => File.Delete(PathOf(messageId, virtualMta));

    /// <summary>Deferred messages of the given VirtualMTAs due at <paramref name="now"/>.</summary>
    public async Task<List<DeferredMessage>> DueAsync(IReadOnlyCollection<string> virtualMtas, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var due = new List<DeferredMessage>();
        foreach (var path in Directory.EnumerateFiles(_directory, "*.json"))
        {
            // "<virtualMta>.<id:N>.json": the id has no dot, a VirtualMTA name may have some.
            var name = Path.GetFileNameWithoutExtension(path);
            var virtualMta = name[..Math.Max(0, name.LastIndexOf('.'))];
            if (!virtualMtas.Contains(virtualMta, StringComparer.OrdinalIgnoreCase)) continue;
            DeferredMessage? deferred;
            try
            {
                await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.Asynchronous);
                deferred = await JsonSerializer.DeserializeAsync<DeferredMessage>(file, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is JsonException or IOException)
            {
                MoveAside(path, e.Message);
                continue;
            }
            if (deferred is null)
            {
                MoveAside(path, "the file holds no message");
                continue;
            }
            if (deferred.NextAttemptAt <= now) due.Add(deferred);
        }
        return due;
    }

    /// <summary>Keeps an unreadable file for an operator to look at, out of the way of every later scan.</summary>
    private void MoveAside(string path, string reason)
    {
        DispatcherLog.DeferredFileCorrupt(_log, path, reason);
        File.Move(path, path + ".corrupt", overwrite: true);
    }

    private string PathOf(Guid messageId, string virtualMta) => Path.Combine(_directory, $"{virtualMta.ToLowerInvariant()}.{messageId:N}.json");
}
