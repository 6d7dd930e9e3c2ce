using Microsoft.Extensions.Logging;

namespace Pipeline.Shared.Status;

internal static partial class StatusLog
{
    [LoggerMessage(EventId = 9001, Level = LogLevel.Warning, Message = "Status board: a write to Redis failed, the monitor will miss it: {Error}")]
    public static partial void WriteFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Warning, Message = "Status board: Redis cannot be read: {Error}")]
    public static partial void ReadFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Warning, Message = "Status board: publishing the queue snapshot failed: {Error}")]
    public static partial void PublishFailed(ILogger logger, string error);
}
