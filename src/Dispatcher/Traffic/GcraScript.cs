namespace Pipeline.Dispatcher.Traffic;

/// <summary>The generic cell rate algorithm (GCRA) as one Redis Lua script, so that every worker sharing a limit
/// takes from one budget atomically. State is a single number per key: the theoretical arrival time (TAT) of the
/// next conforming message, in microseconds of the Redis server's clock (TIME), so workers' clocks never matter.
/// A request conforms when TAT - now &lt;= tolerance; it then moves TAT one emission interval on.</summary>
internal static class GcraScript
{
    /// <summary>KEYS[1] the limiter; ARGV[1] emission interval µs (period / count); ARGV[2] tolerance µs (burst - 1
    /// intervals). Returns {1, 0} when allowed, {0, µs to wait} when not.</summary>
    public const string Source = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local interval = tonumber(ARGV[1])
        local tolerance = tonumber(ARGV[2])
        local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
        if tat < now then tat = now end
        local wait = tat - now - tolerance
        if wait > 0 then return {0, wait} end
        local next = tat + interval
        redis.call('SET', KEYS[1], string.format('%.0f', next), 'PX', math.ceil((next - now) / 1000) + 1000)
        return {1, 0}
        """;
}
