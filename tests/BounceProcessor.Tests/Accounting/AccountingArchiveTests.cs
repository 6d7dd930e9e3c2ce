using System.IO.Compression;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.BounceProcessor.Accounting;
using Pipeline.Shared.Archiving;
using Pipeline.Shared.Configuration;
using Pipeline.Shared.Status;

namespace Pipeline.BounceProcessor.Tests.Accounting;

/// <summary>The accounting log with its archiver and the status board: yesterday's file, still open because nothing
/// was written since midnight, is closed and gzipped while today's goes on; every record is counted on the board.</summary>
public sealed class AccountingArchiveTests : IDisposable
{
    private static readonly DateTimeOffset Evening = new(2026, 3, 14, 23, 59, 0, TimeSpan.Zero);
    private readonly TempDirectory _directory = new();
    private readonly ManualTimeProvider _clock = new(Evening);
    private readonly PipelineOptions _options;

    public AccountingArchiveTests() =>
        _options = new PipelineOptions { BounceProcessor = { AccountingDirectory = Path.Combine(_directory.Path, "acct") } };

    public void Dispose() => _directory.Dispose();

    private static AccountingRecord Record(string type, string recipient, DateTimeOffset at) => new()
    {
        Type = type,
        TimeLogged = at,
        Rcpt = recipient,
        DsnStatus = type == "d" ? "2.0.0 (success)" : "5.1.1 (permanent failure)",
        DsnDiag = type == "d" ? "smtp;250 2.0.0 Ok" : "smtp;550 5.1.1 user unknown",
        BounceCategory = type == "d" ? null : "bad-mailbox",
        VirtualMta = "mta1",
    };

    [Fact]
    public async Task Yesterdays_open_file_is_closed_and_gzipped_and_today_goes_on()
    {
        await using var log = new AccountingLog(_options, _clock);
        await log.WriteAsync(Record("d", "late@example.net", Evening), CancellationToken.None);
        _clock.UtcNow = Evening.AddMinutes(2);
        var archiver = new ClosedFileArchiver(_options.BounceProcessor.AccountingDirectory, AccountingLog.FilePrefix, AccountingLog.FileExtension, 90);
        var service = new ClosedFileArchiveService(archiver, _clock, NullLogger<ClosedFileArchiveService>.Instance, beforeRun: log.CloseStaleAsync);

        var report = await service.RunOnceAsync(CancellationToken.None);
        await log.WriteAsync(Record("d", "early@example.net", _clock.UtcNow), CancellationToken.None);

        Assert.Equal(["acct-2026-03-14.csv"], report!.Compressed);
        var folder = _options.BounceProcessor.AccountingDirectory;
        Assert.Equal(["acct-2026-03-14.csv.gz", "acct-2026-03-15.csv"],
            Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        using var gzip = new StreamReader(new GZipStream(File.OpenRead(Path.Combine(folder, "acct-2026-03-14.csv.gz")), CompressionMode.Decompress));
        var yesterday = await gzip.ReadToEndAsync();
        Assert.StartsWith("type,", yesterday);
        Assert.Contains("late@example.net", yesterday);
        Assert.Contains("early@example.net", await File.ReadAllTextAsync(Path.Combine(folder, "acct-2026-03-15.csv")));
    }

    [Fact]
    public async Task Every_record_is_counted_on_the_board_with_its_status_and_category()
    {
        var board = new InProcessStatusBoard(_clock);
        await using var log = new AccountingLog(_options, _clock, board: board);

        await log.WriteAsync(Record("d", "ann@example.net", Evening), CancellationToken.None);
        await log.WriteAsync(Record("b", "bob@example.net", Evening), CancellationToken.None);

        var overview = await board.ReadAsync(Evening, 1, default);
        Assert.Equal((1L, 1L), (overview.Totals["d"], overview.Totals["b"]));
        Assert.Equal(1, overview.BounceCategories["bad-mailbox"]);
        var bounce = Assert.Single(overview.Recent);
        Assert.Equal(("b***@example.net", "5.1.1", "mta1", "smtp;550 5.1.1 user unknown"), (bounce.Recipient, bounce.Status, bounce.VirtualMta, bounce.Diagnostic));
    }
}
