namespace Pipeline.Shared.Configuration;

/// <summary>The Dispatcher's spool: one per VirtualMTA, append-only memory-mapped segment files.</summary>
public sealed class SpoolOptions
{
    /// <summary>Folder holding one sub-folder per VirtualMTA; empty means &lt;Dispatcher:DataDirectory&gt;/spool.</summary>
    public string? Directory { get; set; }
    /// <summary>Size of one segment file in bytes; a message larger than that gets a segment of its own size.</summary>
    public long SegmentSize { get; set; } = 64L * 1024 * 1024;
    /// <summary>How long a group of appends may wait for more before it is flushed to the device. 0: flush as soon as the
    /// previous flush ends; the appends made meanwhile form the next group (group commit without added latency).</summary>
    public string FlushInterval { get; set; } = "0ms";
    /// <summary>A group is flushed at once when it holds this many records, whatever the interval.</summary>
    public int FlushBatch { get; set; } = 512;

    public const long MinSegmentSize = 64 * 1024;
    public const long MaxSegmentSize = 1L << 30;
}
