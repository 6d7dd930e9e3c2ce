namespace Pipeline.Dispatcher.Spool;

/// <summary>What opening a spool found on disk.</summary>
public sealed record RecoveryReport
{
    public int Segments { get; init; }
    public long Records { get; init; }
    public int Messages { get; init; }
    public long Recipients { get; init; }
    /// <summary>Records that failed their checksum with valid records after them: skipped.</summary>
    public int CorruptRecords { get; init; }
    /// <summary>Records whose checksum passed but whose content could not be read: skipped.</summary>
    public int UnreadableRecords { get; init; }
    /// <summary>Segment files whose header is not valid, moved aside as *.corrupt.</summary>
    public IReadOnlyList<string> CorruptSegments { get; init; } = [];
    /// <summary>The last segment ended in a record cut by a crash, which was discarded.</summary>
    public bool TornTail { get; init; }
    public TimeSpan Elapsed { get; init; }
}
