using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Shared.Archiving;

namespace Pipeline.Shared.Tests.Archiving;

/// <summary>The closed-file archiver on a real folder with a fixed "today": past days gzipped, today's file untouched,
/// files past retention deleted, crash leftovers cleaned up.</summary>
public sealed class ClosedFileArchiverTests : IDisposable
{
    private static readonly DateOnly Today = new(2026, 11, 27);
    private readonly string _dir = Directory.CreateTempSubdirectory("archiver-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    private string Gunzip(string name)
    {
        using var gzip = new GZipStream(File.OpenRead(Path.Combine(_dir, name)), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private string[] Files() => Directory.GetFiles(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    [Fact]
    public void Past_days_are_gzipped_and_today_is_left_alone()
    {
        Write("acct-2026-11-25.csv", "type,rcpt\nd,a@example.test\n");
        Write("acct-2026-11-26.csv", "type,rcpt\nb,b@example.test\n");
        Write("acct-2026-11-27.csv", "type,rcpt\nd,today@example.test\n");

        var report = new ClosedFileArchiver(_dir, "acct-", ".csv", retentionDays: null).Run(Today);

        Assert.Equal(["acct-2026-11-25.csv.gz", "acct-2026-11-26.csv.gz", "acct-2026-11-27.csv"], Files());
        Assert.Equal("type,rcpt\nb,b@example.test\n", Gunzip("acct-2026-11-26.csv.gz"));
        Assert.Equal("type,rcpt\nd,today@example.test\n", File.ReadAllText(Path.Combine(_dir, "acct-2026-11-27.csv")));
        Assert.Equal(["acct-2026-11-25.csv", "acct-2026-11-26.csv"], report.Compressed);
        Assert.Empty(report.Deleted);
    }

    [Fact]
    public void Files_past_retention_are_deleted_compressed_or_not()
    {
        Write("acct-2026-08-01.csv", "old\n");
        File.WriteAllBytes(Path.Combine(_dir, "acct-2026-08-02.csv.gz"), [0x1f, 0x8b]);
        Write("acct-2026-11-20.csv", "recent\n");

        var report = new ClosedFileArchiver(_dir, "acct-", ".csv", retentionDays: 90).Run(Today);

        Assert.Equal(["acct-2026-11-20.csv.gz"], Files());
        Assert.Equal(["acct-2026-08-01.csv", "acct-2026-08-02.csv.gz"], report.Deleted.Order(StringComparer.Ordinal));
        // The expired plain file is deleted, not compressed first.
        Assert.Equal(["acct-2026-11-20.csv"], report.Compressed);
    }

    [Fact]
    public void The_retention_boundary_keeps_the_last_day_inside_it()
    {
        Write("acct-2026-11-25.csv", "kept\n");
        Write("acct-2026-11-24.csv", "expired\n");

        new ClosedFileArchiver(_dir, "acct-", ".csv", retentionDays: 3).Run(Today);

        Assert.Equal(["acct-2026-11-25.csv.gz"], Files());
    }

    [Fact]
    public void A_crash_leftover_is_removed_and_its_source_compressed_again()
    {
        Write("acct-2026-11-26.csv", "whole\n");
        Write("acct-2026-11-26.csv.gz.tmp", "half a gzip");

        var report = new ClosedFileArchiver(_dir, "acct-", ".csv", retentionDays: null).Run(Today);

        Assert.Equal(["acct-2026-11-26.csv.gz"], Files());
        Assert.Equal("whole\n", Gunzip("acct-2026-11-26.csv.gz"));
        Assert.Equal(["acct-2026-11-26.csv.gz.tmp"], report.LeftoversRemoved);
    }

    [Fact]
    public void A_crash_after_the_rename_only_deletes_the_plain_file()
    {
        Write("acct-2026-11-26.csv", "whole\n");
        using (var gz = new GZipStream(File.Create(Path.Combine(_dir, "acct-2026-11-26.csv.gz")), CompressionLevel.Fastest))
            gz.Write("whole\n"u8);

        new ClosedFileArchiver(_dir, "acct-", ".csv", retentionDays: null).Run(Today);

        Assert.Equal(["acct-2026-11-26.csv.gz"], Files());
        Assert.Equal("whole\n", Gunzip("acct-2026-11-26.csv.gz"));
    }

    [Fact]
    public void Only_the_files_of_its_prefix_and_with_a_day_are_touched()
    {
        // Serilog's daily names: <service>-yyyyMMdd.log; another service's files in the same folder are its own business.
        Write("ingest-20261126.log", "ingest yesterday\n");
        Write("ingest-20261127.log", "ingest today\n");
        Write("dispatcher-20261126.log", "dispatcher yesterday\n");
        Write("ingest-notes.log", "no day\n");

        var report = new ClosedFileArchiver(_dir, "ingest-", ".log", retentionDays: 30).Run(Today);

        Assert.Equal(["dispatcher-20261126.log", "ingest-20261126.log.gz", "ingest-20261127.log", "ingest-notes.log"], Files());
        Assert.Equal("ingest yesterday\n", Gunzip("ingest-20261126.log.gz"));
        Assert.Equal(["ingest-20261126.log"], report.Compressed);
    }

    [Theory]
    [InlineData("acct-2026-11-26.csv", ".csv", "2026-11-26")]
    [InlineData("/var/log/pipeline/ingest-20261126.log", ".log", "2026-11-26")]
    [InlineData("acct-2026-13-26.csv", ".csv", null)]
    [InlineData("acct2026-11-26.csv", ".csv", null)]
    [InlineData("acct-2026-11-26.csv.gz", ".csv", null)]
    public void The_day_is_read_from_the_end_of_the_name(string path, string extension, string? expected) =>
        Assert.Equal(expected is null ? null : DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            ClosedFileArchiver.DayOf(path, extension));

    [Fact]
    public async Task The_service_lets_the_writer_close_first_and_uses_the_clock_for_today()
    {
        Write("acct-2026-11-26.csv", "yesterday\n");
        Write("acct-2026-11-27.csv", "today\n");
        var closed = false;
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 27, 0, 1, 0, TimeSpan.Zero));
        var service = new ClosedFileArchiveService(new ClosedFileArchiver(_dir, "acct-", ".csv", null), clock,
            NullLogger<ClosedFileArchiveService>.Instance, beforeRun: _ => { closed = true; return Task.CompletedTask; });

        var report = await service.RunOnceAsync(CancellationToken.None);

        Assert.True(closed);
        Assert.Equal(["acct-2026-11-26.csv"], report!.Compressed);
        Assert.Equal(["acct-2026-11-26.csv.gz", "acct-2026-11-27.csv"], Files());
    }
}
