using Microsoft.Extensions.Logging;

namespace Pipeline.Shared.Archiving;

internal static partial class ArchiveLog
{
    [LoggerMessage(EventId = 9101, Level = LogLevel.Information, Message = "Archived {Directory}/{Prefix}*: {Compressed} file(s) gzipped, {Deleted} past retention deleted, {Leftovers} crash leftover(s) removed")]
    public static partial void Archived(ILogger logger, string directory, string prefix, int compressed, int deleted, int leftovers);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Error, Message = "Archiving {Directory}/{Prefix}* failed, tried again tomorrow: {Error}")]
    public static partial void Failed(ILogger logger, string directory, string prefix, string error);
}
