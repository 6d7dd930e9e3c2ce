namespace Pipeline.Dispatcher.Traffic;

/// <summary>Counting semaphores in Redis for open connections (MaxSmtpOut, SourceIpMaxSmtpOut). Each open
/// connection holds a lease with an expiry in a sorted set; a worker that dies stops renewing, and its leases
/// expire, so a crash never leaks connection slots for longer than the lease time.</summary>
internal static class LeaseScript
{
    /// <summary>KEYS: the lease sets to take a slot in, all or none; ARGV[1] lease id; ARGV[2] lease ms;
    /// ARGV[3..] the limit of each key in order. Returns 0 when taken, else the 1-based index of the full key.</summary>
    public const string Acquire = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local ttl = tonumber(ARGV[2])
        for i, key in ipairs(KEYS) do
          redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
          if redis.call('ZCARD', key) >= tonumber(ARGV[2 + i]) then return i end
        end
        for _, key in ipairs(KEYS) do
          redis.call('ZADD', key, now + ttl, ARGV[1])
          redis.call('PEXPIRE', key, ttl * 2)
        end
        return 0
        """;

    /// <summary>KEYS: the lease sets; ARGV[1] lease id; ARGV[2] lease ms. Extends a held lease; returns how many
    /// keys still held it (a lease that already expired is not revived).</summary>
    public const string Renew = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local ttl = tonumber(ARGV[2])
        local held = 0
        for _, key in ipairs(KEYS) do
          redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
          held = held + redis.call('ZADD', key, 'XX', 'CH', now + ttl, ARGV[1])
          redis.call('PEXPIRE', key, ttl * 2)
        end
        return held
        """;
}
