using System.Globalization;
using System.IO.Compression;

namespace Pipeline.Shared.Archiving;

/// <summary>Compresses and expires the closed files of a folder of daily files: accounting files
/// (acct-2026-11-26.csv) and log files (ingest-20261126.log). A file is closed when its day, the date at the end of
/// its name, is before today: the writer has moved on to today's file, which is never touched.
/// <list type="number">
/// <item>A <c>.gz.tmp</c> left by a crash mid-compression is removed (its source is still there and is done again).</item>
/// <item>Each closed file is written to <c>name.gz.tmp</c>, fsynced, renamed to <c>name.gz</c>, the folder fsynced, and
/// only then is the plain file deleted; a crash at any point leaves either the plain file or a whole .gz.</item>
/// <item>Files (plain or .gz) whose day is <see cref="RetentionDays"/> or more days before today are deleted.</item>
/// </list></summary>
/// <param name="directory">The folder of the daily files.</param>
/// <param name="namePrefix">Only files whose name starts with this ("acct-", "ingest-"), so that services sharing a
/// log folder each archive their own files and never race on one.</param>
/// <param name="extension">The plain files' extension with its dot (".csv", ".log").</param>
/// <param name="retentionDays">Days a file is kept, counted from its own day; null keeps files forever.</param>
public sealed class ClosedFileArchiver(string directory, string namePrefix, string extension, int? retentionDays)
{
    public const string CompressedSuffix = ".gz";
    public const string TemporarySuffix = ".gz.tmp";

    public string Directory { get; } = Path.GetFullPath(directory);
    public string NamePrefix { get; } = namePrefix;
    public string Extension { get; } = extension;
    public int? RetentionDays { get; } = retentionDays;

    public ArchiveReport Run(DateOnly today)
    {
        var report = new ArchiveReport();
        if (!System.IO.Directory.Exists(Directory)) return report;

        foreach (var leftover in System.IO.Directory.EnumerateFiles(Directory, NamePrefix + "*" + Extension + TemporarySuffix))
        {
            File.Delete(leftover);
            report.LeftoversRemoved.Add(Path.GetFileName(leftover));
        }

        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, NamePrefix + "*" + Extension).Order(StringComparer.Ordinal).ToList())
        {
            if (DayOf(file, Extension) is not { } day || day >= today || IsExpired(day, today)) continue;
            var compressed = file + CompressedSuffix;
            // A .gz beside its plain file means the rename happened and the crash came before the delete.
            if (!File.Exists(compressed)) Compress(file, compressed);
            File.Delete(file);
            report.Compressed.Add(Path.GetFileName(file));
        }

        if (RetentionDays is not null)
        {
            foreach (var file in System.IO.Directory.EnumerateFiles(Directory, NamePrefix + "*" + Extension + "*").ToList())
            {
                var plain = file.EndsWith(CompressedSuffix, StringComparison.Ordinal) ? file[..^CompressedSuffix.Length] : file;
                if (DayOf(plain, Extension) is not { } day || !IsExpired(day, today)) continue;
                File.Delete(file);
                report.Deleted.Add(Path.GetFileName(file));
            }
        }
        return report;
    }

    private bool IsExpired(DateOnly day, DateOnly today) => RetentionDays is { } keep && day.DayNumber <= today.DayNumber - keep;

    private void Compress(string file, string compressed)
    {
        var temporary = file + TemporarySuffix;
        using (var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        using (var target = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            using (var gzip = new GZipStream(target, CompressionLevel.SmallestSize, leaveOpen: true)) source.CopyTo(gzip);
            target.Flush(flushToDisk: true);
        }
        File.Move(temporary, compressed);
        FolderSync.Flush(Directory);
    }

    /// <summary>The day at the end of a file's name: "-yyyy-MM-dd" (accounting) or "-yyyyMMdd" (Serilog's daily
    /// files) before the extension; null for files that are not daily files.</summary>
    public static DateOnly? DayOf(string path, string extension)
    {
        var name = Path.GetFileName(path);
        if (!name.EndsWith(extension, StringComparison.Ordinal)) return null;
        var stem = name[..^extension.Length];
        foreach (var (length, format) in new[] { (10, "yyyy-MM-dd"), (8, "yyyyMMdd") })
        {
            if (stem.Length > length && stem[^(length + 1)] == '-' &&
                DateOnly.TryParseExact(stem[^length..], format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                return day;
        }
        return null;
    }
}
