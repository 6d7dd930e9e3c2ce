using System.Text.Json;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Pipeline.Shared.Status;

/// <summary>The board in Redis (layout in <see cref="StatusKeys"/>), shared by every Ingest, Dispatcher and
/// BounceProcessor of a fleet. Writes are sent fire-and-forget: counting a delivery must never wait on Redis, and a
/// Redis outage only leaves gaps in the monitor (logged), never in the mail flow.</summary>
public sealed class RedisStatusBoard(IConnectionMultiplexer redis, string prefix, TimeProvider clock, ILogger<RedisStatusBoard> log,
    int recentEvents = InProcessStatusBoard.DefaultRecentEvents) : IStatusBoard
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private const CommandFlags Write = CommandFlags.FireAndForget;

    public Task RecordAcceptedAsync(int messages, DateTimeOffset at, CancellationToken cancellationToken)
    {
        Try(db => Count(db, StatusCounter.Accepted, at, messages));
        return Task.CompletedTask;
    }

    public Task RecordOutcomeAsync(OutcomeRecorded outcome, CancellationToken cancellationToken)
    {
        Try(db =>
        {
            Count(db, outcome.Type, outcome.At, 1);
            if (StatusCounter.IsBounce(outcome.Type) && outcome.Category is { Length: > 0 } category)
                db.HashIncrement(StatusKeys.Categories(prefix), category.ToLowerInvariant(), 1, Write);
            if (StatusCounter.IsRecent(outcome.Type))
            {
                var key = StatusKeys.Recent(prefix);
                db.ListLeftPush(key, JsonSerializer.Serialize(RecentEvent.From(outcome), Json), flags: Write);
                db.ListTrim(key, 0, recentEvents - 1, Write);
            }
        });
        return Task.CompletedTask;
    }

    public Task PublishQueuesAsync(DispatcherSnapshot snapshot, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        Try(db =>
        {
            var expires = clock.GetUtcNow() + timeToLive;
            db.StringSet(StatusKeys.Dispatcher(prefix, snapshot.Worker), JsonSerializer.Serialize(snapshot, Json), timeToLive, flags: Write);
            db.SortedSetAdd(StatusKeys.Dispatchers(prefix), snapshot.Worker, expires.ToUnixTimeMilliseconds(), Write);
            // Workers that stopped reporting leave the set here too, not only when the monitor is read: each restart
            // of a worker named after its process id adds a member.
            db.SortedSetRemoveRangeByScore(StatusKeys.Dispatchers(prefix), double.NegativeInfinity, clock.GetUtcNow().ToUnixTimeMilliseconds(), Exclude.Stop, Write);
        });
        return Task.CompletedTask;
    }

    public async Task<StatusOverview> ReadAsync(DateTimeOffset now, int minutes, CancellationToken cancellationToken)
    {
        try
        {
            var db = redis.GetDatabase();
            var current = StatusKeys.MinuteOf(now);
            var minuteKeys = Enumerable.Range(0, minutes).Select(i => current.AddMinutes(i - minutes + 1)).ToArray();
            // Issued together: one round trip's worth of waiting for the whole page.
            var totals = db.HashGetAllAsync(StatusKeys.Totals(prefix));
            var perMinute = minuteKeys.Select(m => db.HashGetAllAsync(StatusKeys.Minute(prefix, m))).ToArray();
            var categories = db.HashGetAllAsync(StatusKeys.Categories(prefix));
            var recent = db.ListRangeAsync(StatusKeys.Recent(prefix), 0, recentEvents - 1);
            var liveFrom = clock.GetUtcNow().ToUnixTimeMilliseconds();
            _ = db.SortedSetRemoveRangeByScoreAsync(StatusKeys.Dispatchers(prefix), double.NegativeInfinity, liveFrom, Exclude.Stop, Write);
            var workers = await db.SortedSetRangeByScoreAsync(StatusKeys.Dispatchers(prefix), liveFrom, double.PositiveInfinity, Exclude.Start).ConfigureAwait(false);
            var snapshots = workers.Length == 0 ? []
                : await db.StringGetAsync(workers.Select(w => (RedisKey)StatusKeys.Dispatcher(prefix, w!)).ToArray()).ConfigureAwait(false);

            var minuteCounts = new List<MinuteCounts>(minutes);
            for (int i = 0; i < minutes; i++) minuteCounts.Add(new MinuteCounts(minuteKeys[i], ToCounts(await perMinute[i].ConfigureAwait(false))));
            return new StatusOverview(
                ToCounts(await totals.ConfigureAwait(false)),
                minuteCounts,
                ToCounts(await categories.ConfigureAwait(false)),
                (await recent.ConfigureAwait(false)).Select(v => JsonSerializer.Deserialize<RecentEvent>(v.ToString(), Json)!).ToList(),
                snapshots.Where(s => s.HasValue).Select(s => JsonSerializer.Deserialize<DispatcherSnapshot>(s.ToString(), Json)!)
                    .OrderBy(s => s.Worker, StringComparer.Ordinal).ToList());
        }
        catch (Exception e) when (e is RedisException or TimeoutException or JsonException)
        {
            StatusLog.ReadFailed(log, e.Message);
            return StatusOverview.Unavailable($"the status board in Redis cannot be read: {e.Message}");
        }
    }

    private void Count(IDatabase db, string counter, DateTimeOffset at, long by)
    {
        db.HashIncrement(StatusKeys.Totals(prefix), counter, by, Write);
        var minute = StatusKeys.Minute(prefix, at);
        db.HashIncrement(minute, counter, by, Write);
        db.KeyExpire(minute, StatusKeys.MinuteRetention, Write);
    }

    private void Try(Action<IDatabase> write)
    {
        try
        {
            write(redis.GetDatabase());
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            // Fire-and-forget still throws when the multiplexer refuses at once (disposed, backlog full).
            StatusLog.WriteFailed(log, e.Message);
        }
    }

    private static Dictionary<string, long> ToCounts(HashEntry[] entries) =>
        entries.ToDictionary(e => e.Name.ToString(), e => (long)e.Value, StringComparer.OrdinalIgnoreCase);
}
