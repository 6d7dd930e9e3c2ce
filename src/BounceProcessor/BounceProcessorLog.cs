namespace Pipeline.BounceProcessor;

/// <summary>The BounceProcessor's log messages, source-generated.</summary>
internal static partial class BounceProcessorLog
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Bounce {Recipient} {Category} (hard: {IsHard}, {Source}, rule {Rule}) for message {MessageId}")]
    public static partial void Classified(ILogger logger, string recipient, string category, bool isHard, string source, string? rule, Guid? messageId);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Suppressed {Recipient} for sender domain {SenderDomain}: {Reason}")]
    public static partial void Suppressed(ILogger logger, string recipient, string senderDomain, string reason);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Information, Message = "Backoff signalled for {Domain} from {VirtualMta}: {Diagnostic}")]
    public static partial void Backoff(ILogger logger, string domain, string virtualMta, string diagnostic);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Information, Message = "Feedback {FeedbackType} about {Recipient} (message {MessageId})")]
    public static partial void Feedback(ILogger logger, string feedbackType, string recipient, Guid? messageId);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Warning, Message = "Inbound report {MessageId} holds no recipient record; nothing recorded")]
    public static partial void NothingFound(ILogger logger, Guid messageId);

    [LoggerMessage(EventId = 6006, Level = LogLevel.Warning, Message = "Inbound report {MessageId} is not a readable mail message: {Error}")]
    public static partial void Unreadable(ILogger logger, Guid messageId, string error);

    [LoggerMessage(EventId = 6007, Level = LogLevel.Debug, Message = "Inbound report {MessageId}: {Kind} for {Recipient}, not an outcome to record")]
    public static partial void Ignored(ILogger logger, Guid messageId, string kind, string recipient);
}
