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

    [LoggerMessage(6, LogLevel.Information, "Spool {VirtualMta} recovered: {Segments} segments, {Records} records, {Messages} messages with {Recipients} recipients waiting, {Damaged} damaged records skipped, torn tail: {TornTail}, in {ElapsedMs:0} ms")]
    public static partial void SpoolRecovered(ILogger logger, string virtualMta, int segments, long records, int messages, long recipients, int damaged, bool tornTail, double elapsedMs);

    [LoggerMessage(7, LogLevel.Error, "Spool {VirtualMta}: segment {File} is unusable ({Reason}) and was moved aside as *.corrupt; the messages in it are not delivered")]
    public static partial void SpoolSegmentCorrupt(ILogger logger, string virtualMta, string file, string reason);

    [LoggerMessage(8, LogLevel.Error, "Spool {VirtualMta}: {Count} damaged records ({Bytes} bytes, first at offset {Offset}) in {File} fail their checksum and were skipped")]
    public static partial void SpoolRecordsCorrupt(ILogger logger, string virtualMta, string file, int count, long bytes, int offset);

    [LoggerMessage(9, LogLevel.Error, "Spool {VirtualMta}: record at {File}:{Offset} passes its checksum but cannot be read ({Reason}); skipped")]
    public static partial void SpoolRecordUnreadable(ILogger logger, string virtualMta, string file, int offset, string reason);

    [LoggerMessage(10, LogLevel.Critical, "Spool {VirtualMta}: flushing to the device failed ({Reason}); no further message is accepted until restart")]
    public static partial void SpoolFlushFailed(ILogger logger, string virtualMta, string reason);

    [LoggerMessage(11, LogLevel.Information, "Spool {VirtualMta} compacted: {Rewritten} messages rewritten, {Deleted} segments deleted")]
    public static partial void SpoolCompacted(ILogger logger, string virtualMta, int rewritten, int deleted);


    [LoggerMessage(13, LogLevel.Error, "Compaction of spool {VirtualMta} failed")]
    public static partial void CompactionFailed(ILogger logger, Exception exception, string virtualMta);

    [LoggerMessage(20, LogLevel.Error, "Delivery worker of {VirtualMta}/{Domain} failed; its work stays in the spool")]
    public static partial void QueueWorkerFailed(ILogger logger, Exception exception, string virtualMta, string domain);

    [LoggerMessage(21, LogLevel.Warning, "Backoff signal for VirtualMTA {VirtualMta} (domain {Domain}), which is not configured here: ignored")]
    public static partial void BackoffSignalForUnknownVirtualMta(ILogger logger, string virtualMta, string domain);

    [LoggerMessage(40, LogLevel.Warning, "Queue snapshot for the monitor not published, tried again next interval: {Error}")]
    public static partial void SnapshotFailed(ILogger logger, string error);
}
