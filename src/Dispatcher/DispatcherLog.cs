using Pipeline.Contracts;

namespace Pipeline.Dispatcher;

internal static partial class DispatcherLog
{
    [LoggerMessage(1, LogLevel.Warning, "Connecting to {Host}:{Port} from VirtualMTA {VirtualMta} failed: {Reason}")]
    public static partial void ConnectFailed(ILogger logger, string host, int port, string virtualMta, string reason);

    [LoggerMessage(2, LogLevel.Information, "{MessageId} to <{Recipient}> via {VirtualMta}: {Outcome} {SmtpCode} {Diagnostic}")]
    public static partial void Attempted(ILogger logger, Guid messageId, string recipient, string virtualMta, DeliveryOutcome outcome, int smtpCode, string diagnostic);

    [LoggerMessage(3, LogLevel.Information, "Serving VirtualMTAs {VirtualMtas}")]
    public static partial void Serving(ILogger logger, string virtualMtas);

    [LoggerMessage(4, LogLevel.Warning, "This Dispatcher serves no VirtualMTA: no configured source IP is an address of this machine (set Dispatcher:Serve)")]
    public static partial void ServingNothing(ILogger logger);

    [LoggerMessage(5, LogLevel.Error, "Deferred message file {File} is unreadable and was moved aside: {Reason}")]
    public static partial void DeferredFileCorrupt(ILogger logger, string file, string reason);
}
