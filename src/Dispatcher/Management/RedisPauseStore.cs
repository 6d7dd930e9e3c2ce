using System.Globalization;
using StackExchange.Redis;

namespace Pipeline.Dispatcher.Management;

/// <summary>Pauses in one Redis hash, <see cref="Key"/>: field = the target's key ("queue:mta1/example.com"),
/// value = when it was paused (ISO 8601). Every Dispatcher worker reads it, and it survives their restarts; an
/// operator can read it with redis-cli (HGETALL pipeline:management:pauses).</summary>
public sealed class RedisPauseStore(IConnectionMultiplexer redis, string key = RedisPauseStore.Key) : IPauseStore
{
    public const string Key = "pipeline:management:pauses";

    private IDatabase Db => redis.GetDatabase();

    public async Task<IReadOnlyList<Pause>> ListAsync(CancellationToken cancellationToken)
    {
        var entries = await Db.HashGetAllAsync(key).WaitAsync(cancellationToken).ConfigureAwait(false);
        var pauses = new List<Pause>(entries.Length);
        foreach (var entry in entries)
        {
            // A field this version cannot read (a newer kind) is left alone rather than failing every read.
            if (PauseTarget.FromKey(entry.Name.ToString()) is not { } target) continue;
            var at = DateTimeOffset.TryParse(entry.Value.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                ? parsed : DateTimeOffset.MinValue;
            pauses.Add(new Pause(target, at));
        }
        return [.. pauses.OrderBy(p => p.PausedAt)];
    }

    public Task<bool> AddAsync(Pause pause, CancellationToken cancellationToken) =>
        Db.HashSetAsync(key, pause.Target.Key, pause.PausedAt.ToString("O", CultureInfo.InvariantCulture), When.NotExists).WaitAsync(cancellationToken);

    public Task<bool> RemoveAsync(PauseTarget target, CancellationToken cancellationToken) =>
        Db.HashDeleteAsync(key, target.Key).WaitAsync(cancellationToken);
}
