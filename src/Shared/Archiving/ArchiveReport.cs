namespace Pipeline.Shared.Archiving;

/// <summary>What one <see cref="ClosedFileArchiver.Run"/> did, by file name.</summary>
public sealed class ArchiveReport
{
    public List<string> Compressed { get; } = [];
    public List<string> Deleted { get; } = [];
    public List<string> LeftoversRemoved { get; } = [];

    public bool IsEmpty => Compressed.Count == 0 && Deleted.Count == 0 && LeftoversRemoved.Count == 0;
}
