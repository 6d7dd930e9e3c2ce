using Pipeline.Shared.Configuration;

namespace Pipeline.Dispatcher.Spool;

/// <summary>Dispatcher:Spool, parsed.</summary>
public sealed record SpoolSettings(long SegmentSize, TimeSpan FlushInterval, int FlushBatch)
{
    /// <summary>A segment whose live messages take less than this share of its bytes is rewritten by compaction.</summary>
    public double RewriteBelowLiveFraction { get; init; } = 0.25;

    public static SpoolSettings From(SpoolOptions options) =>
        new(options.SegmentSize, DurationText.Parse(options.FlushInterval), options.FlushBatch);

    /// <summary>The folder of every VirtualMTA's spool.</summary>
    public static string RootDirectory(DispatcherOptions options) =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(options.Spool.Directory) ? Path.Combine(options.DataDirectory, "spool") : options.Spool.Directory);
}
