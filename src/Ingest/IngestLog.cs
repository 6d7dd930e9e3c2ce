using Pipeline.Ingest.Suppression;

namespace Pipeline.Ingest;

/// <summary>Ingest's log events, source-generated.</summary>
internal static partial class IngestLog
{
    [LoggerMessage(1, LogLevel.Information, "Accepted {MessageId} by {Channel} from <{MailFrom}> for {Recipients} recipient(s), {Bytes} bytes, trace {TraceId}")]
    public static partial void Accepted(ILogger logger, Guid messageId, string channel, string mailFrom, int recipients, int bytes, string traceId);

    [LoggerMessage(2, LogLevel.Warning, "Broker did not confirm {MessageId}; answering 451/503: {Reason}")]
    public static partial void PublishFailed(ILogger logger, Guid messageId, string reason);

    [LoggerMessage(3, LogLevel.Warning, "Relaying denied for {Client} to <{Recipient}>")]
    public static partial void RelayDenied(ILogger logger, string client, string recipient);

    [LoggerMessage(4, LogLevel.Warning, "Refused from {Client}: {Reply}")]
    public static partial void UnknownVirtualMta(ILogger logger, string reply, string client);

    [LoggerMessage(5, LogLevel.Information, "SMTP listening on {EndPoint}")]
    public static partial void SmtpListening(ILogger logger, string endPoint);

    [LoggerMessage(6, LogLevel.Warning, "Too many sessions ({MaxSessions}): {Client} refused with 421")]
    public static partial void TooManySessions(ILogger logger, string client, int maxSessions);

    [LoggerMessage(7, LogLevel.Warning, "Connection rate of {Client} over {Rate}: refused with 421")]
    public static partial void ConnectionRateExceeded(ILogger logger, string client, string rate);

    [LoggerMessage(8, LogLevel.Information, "Idle timeout ({Timeout}) of {Client}: closed with 421")]
    public static partial void IdleTimeout(ILogger logger, string client, TimeSpan timeout);

    [LoggerMessage(9, LogLevel.Warning, "Message from {Client} of {Bytes} bytes is over the limit of {Limit}: 552")]
    public static partial void MessageTooLarge(ILogger logger, string client, long bytes, long limit);

    [LoggerMessage(10, LogLevel.Warning, "{Client} gave more than {MaxRecipients} recipients: 452")]
    public static partial void TooManyRecipients(ILogger logger, string client, int maxRecipients);

    [LoggerMessage(11, LogLevel.Warning, "{Client} gave a bad {Role} address <{Address}>")]
    public static partial void BadAddress(ILogger logger, string client, string role, string address);

    [LoggerMessage(12, LogLevel.Information, "{Client} authenticated as {User}")]
    public static partial void Authenticated(ILogger logger, string client, string user);

    [LoggerMessage(13, LogLevel.Warning, "Failed authentication from {Client} as {User}")]
    public static partial void AuthFailed(ILogger logger, string client, string user);

    [LoggerMessage(14, LogLevel.Information, "Suppressed recipient <{Recipient}> from <{MailFrom}> ({Client}): {Mode}")]
    public static partial void Suppressed(ILogger logger, string client, string mailFrom, string recipient, SuppressionMode mode);

    [LoggerMessage(15, LogLevel.Warning, "Suppression list unavailable, recipient accepted unchecked: {Reason}")]
    public static partial void SuppressionUnavailable(ILogger logger, string reason);

    [LoggerMessage(16, LogLevel.Warning, "TLS handshake with {Client} failed: {Reason}")]
    public static partial void TlsFailed(ILogger logger, string client, string reason);

    [LoggerMessage(17, LogLevel.Warning, "{Client} pipelined commands after STARTTLS; discarded (RFC 3207 section 6)")]
    public static partial void PlaintextAfterStartTls(ILogger logger, string client);

    [LoggerMessage(18, LogLevel.Debug, "Session with {Client} ended: {Reason}")]
    public static partial void SessionEnded(ILogger logger, string client, string reason);

    [LoggerMessage(19, LogLevel.Error, "Session with {Client} failed")]
    public static partial void SessionFailed(ILogger logger, Exception exception, string client);

    [LoggerMessage(20, LogLevel.Warning, "Accepting a connection failed: {Reason}")]
    public static partial void AcceptFailed(ILogger logger, string reason);

    [LoggerMessage(21, LogLevel.Warning, "{Client} made {Errors} bad commands: closed with 421")]
    public static partial void TooManyErrors(ILogger logger, string client, int errors);

    [LoggerMessage(22, LogLevel.Warning, "Refused broker submission: {Reason}")]
    public static partial void SubmissionRefused(ILogger logger, string reason);

    [LoggerMessage(23, LogLevel.Information, "HTTP listening for the API on {Listen}")]
    public static partial void HttpListening(ILogger logger, string listen);
}
