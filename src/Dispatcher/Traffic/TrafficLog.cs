namespace Pipeline.Dispatcher.Traffic;

internal static partial class TrafficLog
{
    [LoggerMessage(1, LogLevel.Error, "Redis is unreachable: keeping traffic limits in this process at {Share:P0} of their configured values until it is back ({Reason})")]
    public static partial void RedisLost(ILogger logger, double share, string reason);

    [LoggerMessage(2, LogLevel.Warning, "Redis is reachable again: traffic limits are shared across workers again")]
    public static partial void RedisBack(ILogger logger);

    [LoggerMessage(3, LogLevel.Warning, "Queue {VirtualMta}/{Group} enters backoff: {Reason}")]
    public static partial void BackoffEntered(ILogger logger, string virtualMta, string group, string reason);

    [LoggerMessage(4, LogLevel.Debug, "Could not read the queues' modes for pipeline_queue_backoff: {Reason}")]
    public static partial void ModeSampleFailed(ILogger logger, string reason);
}
