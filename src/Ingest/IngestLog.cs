namespace Pipeline.Ingest;

/// <summary>Ingest's log events, source-generated.</summary>
internal static partial class IngestLog
{
    [LoggerMessage(1, LogLevel.Information, "Accepted {MessageId} by {Channel} from <{MailFrom}> for {Recipients} recipient(s), {Bytes} bytes")]
    public static partial void Accepted(ILogger logger, Guid messageId, string channel, string mailFrom, int recipients, int bytes);

    [LoggerMessage(2, LogLevel.Warning, "Broker did not confirm {MessageId}; answering 451: {Reason}")]
    public static partial void PublishFailed(ILogger logger, Guid messageId, string reason);

    [LoggerMessage(3, LogLevel.Warning, "Relaying denied for {Client} to <{Recipient}>")]
    public static partial void RelayDenied(ILogger logger, string client, string recipient);

    [LoggerMessage(4, LogLevel.Warning, "Unknown VirtualMTA '{VirtualMta}' in a message from {Client}")]
    public static partial void UnknownVirtualMta(ILogger logger, string virtualMta, string client);

    [LoggerMessage(5, LogLevel.Information, "SMTP listening on {EndPoint}")]
    public static partial void SmtpListening(ILogger logger, string endPoint);
}
