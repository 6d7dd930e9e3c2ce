namespace Pipeline.BounceProcessor.Accounting;

/// <summary>One line of the accounting log: one recipient outcome, PowerMTA-style.</summary>
public sealed record AccountingRecord
{
    /// <summary>The header row, in field order. Users' scripts read these names: add at the end, never rename.</summary>
    public static readonly string[] Fields =
    [
        "type", "timeLogged", "timeQueued", "orig", "rcpt", "dsnAction", "dsnStatus", "dsnDiag", "dsnMta",
        "bounceCat", "vmta", "dlvSourceIp", "dlvDestinationIp", "jobId", "messageId", "pipelineId", "attempt", "traceId",
    ];

    public required string Type { get; init; }
    public required DateTimeOffset TimeLogged { get; init; }
    public DateTimeOffset? TimeQueued { get; init; }
    public string? Orig { get; init; }
    public required string Rcpt { get; init; }
    /// <summary>RFC 3464 action: delivered, failed, delayed, relayed.</summary>
    public string? DsnAction { get; init; }
    public string? DsnStatus { get; init; }
    public string? DsnDiag { get; init; }
    public string? DsnMta { get; init; }
    public string? BounceCategory { get; init; }
    public string? VirtualMta { get; init; }
    public string? SourceIp { get; init; }
    public string? DestinationIp { get; init; }
    public string? JobId { get; init; }
    public string? MessageId { get; init; }
    public Guid? PipelineId { get; init; }
    public int? Attempt { get; init; }
    /// <summary>The OpenTelemetry trace id (32 hex digits) of the message's trace, from acceptance to this outcome.</summary>
    public string? TraceId { get; init; }

    public IEnumerable<string?> Values()
    {
        yield return Type;
        yield return Timestamp(TimeLogged);
        yield return TimeQueued is { } q ? Timestamp(q) : null;
        yield return Orig;
        yield return Rcpt;
        yield return DsnAction;
        yield return DsnStatus;
        yield return DsnDiag;
        yield return DsnMta;
        yield return BounceCategory;
        yield return VirtualMta;
        yield return SourceIp;
        yield return DestinationIp;
        yield return JobId;
        yield return MessageId;
        yield return PipelineId?.ToString("N");
        yield return Attempt?.ToString(System.Globalization.CultureInfo.InvariantCulture);
        yield return TraceId;
    }

    private static string Timestamp(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.fffzzz", System.Globalization.CultureInfo.InvariantCulture);
}
