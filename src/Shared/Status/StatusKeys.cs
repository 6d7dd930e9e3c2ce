using System.Globalization;

namespace Pipeline.Shared.Status;

/// <summary>The board's Redis layout under its prefix (Monitor:RedisPrefix, "pipeline:status:" by default):
/// <list type="bullet">
/// <item><c>totals</c>: hash, counter (accepted, d, b, rb, t, f) to count, HINCRBY.</item>
/// <item><c>minute:yyyyMMddHHmm</c>: hash of the same counters for one UTC minute, expiring after <see cref="MinuteRetention"/>.</item>
/// <item><c>categories</c>: hash, bounce category to the number of bounces.</item>
/// <item><c>recent</c>: list of the latest bounces and complaints as JSON, newest first, LPUSH + LTRIM.</item>
/// <item><c>dispatchers</c>: sorted set, worker name scored by the Unix time its snapshot expires.</item>
/// <item><c>dispatcher:&lt;worker&gt;</c>: one worker's <see cref="DispatcherSnapshot"/> as JSON, with a TTL.</item>
/// </list></summary>
public static class StatusKeys
{
    /// <summary>How long a per-minute bucket lives: more than the monitor ever shows.</summary>
    public static readonly TimeSpan MinuteRetention = TimeSpan.FromHours(2);

    public static string Totals(string prefix) => prefix + "totals";
    public static string Minute(string prefix, DateTimeOffset at) =>
        prefix + "minute:" + at.UtcDateTime.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);
    public static string Categories(string prefix) => prefix + "categories";
    public static string Recent(string prefix) => prefix + "recent";
    public static string Dispatchers(string prefix) => prefix + "dispatchers";
    public static string Dispatcher(string prefix, string worker) => prefix + "dispatcher:" + worker;

    /// <summary>The start of the minute <paramref name="at"/> falls in (UTC).</summary>
    public static DateTimeOffset MinuteOf(DateTimeOffset at) =>
        new(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
}
