namespace Pipeline.Dispatcher.Management;

internal static partial class ManagementLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Paused {Target}")]
    public static partial void Paused(ILogger logger, string target);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resumed {Target}")]
    public static partial void Resumed(ILogger logger, string target);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleted {Count} recipients of {Scope} by administrator")]
    public static partial void Deleted(ILogger logger, int count, string scope);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retry now: {Count} recipients of {VirtualMta}/{Domain} are due")]
    public static partial void RetriedNow(ILogger logger, int count, string virtualMta, string domain);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot read the pauses from their store; the ones in force stay: {Reason}")]
    public static partial void PauseStoreUnreadable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Configuration reloaded from {Path}: applied {Applied}; needing a restart: {RestartNeeded}")]
    public static partial void Reloaded(ILogger logger, string path, string applied, string restartNeeded);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Configuration reload from {Path} refused; the running configuration stays: {Problem}")]
    public static partial void ReloadRefused(ILogger logger, string path, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot read the pause store at start: pauses unknown until the pause store answers; all VirtualMTAs held")]
    public static partial void AllHeldUntilPauseStoreAnswers(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not put message {MessageId} back in the queue {VirtualMta}/{Domain}; its recipients stay in flight until a restart")]
    public static partial void WorkNotReturned(ILogger logger, Exception exception, Guid messageId, string virtualMta, string domain);
}
