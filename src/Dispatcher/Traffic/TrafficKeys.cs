namespace Pipeline.Dispatcher.Traffic;

/// <summary>The Redis keys of the shared traffic state. One place, so that every Dispatcher worker — and an
/// operator with redis-cli — finds the same key for the same limit. The {braces} are Redis Cluster hash tags: the
/// keys of one queue land on one shard, which the Lua scripts need.</summary>
public static class TrafficKeys
{
    public const string Prefix = "pipeline:traffic:";

    /// <summary>Message-rate limiter (GCRA state) of a queue: a VirtualMTA towards a domain group.</summary>
    public static string QueueMessageRate(string virtualMta, string group) => $"{Prefix}{{{virtualMta}:{group}}}:msg-rate";

    public static string QueueConnectRate(string virtualMta, string group) => $"{Prefix}{{{virtualMta}:{group}}}:connect-rate";

    /// <summary>Open-connection leases of a queue (sorted set: lease id → expiry).</summary>
    public static string QueueConnections(string virtualMta, string group) => $"{Prefix}{{{virtualMta}:{group}}}:connections";

    /// <summary>Backoff mode of a queue: present while the queue is in backoff; its value says why.</summary>
    public static string QueueBackoff(string virtualMta, string group) => $"{Prefix}{{{virtualMta}:{group}}}:backoff";

    public static string SourceIpMessageRate(string virtualMta) => $"{Prefix}{{{virtualMta}}}:ip-msg-rate";

    public static string SourceIpConnectRate(string virtualMta) => $"{Prefix}{{{virtualMta}}}:ip-connect-rate";

    public static string SourceIpConnections(string virtualMta) => $"{Prefix}{{{virtualMta}}}:ip-connections";

    /// <summary>Messages sent by a VirtualMTA on one UTC day, for its warm-up schedule.</summary>
    public static string WarmUpDay(string virtualMta, DateOnly day) => $"{Prefix}{{{virtualMta}}}:warmup:{day:yyyy-MM-dd}";
}
