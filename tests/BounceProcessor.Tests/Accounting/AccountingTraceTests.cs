using System.IO.Compression;
using System.Text;
using Pipeline.BounceProcessor.Accounting;
using Pipeline.Shared.Configuration;

namespace Pipeline.BounceProcessor.Tests.Accounting;

/// <summary>Tracing a message across the accounting files: open .csv and gzipped .csv.gz alike, by Message-ID or
/// pipeline id in any spelling, fields by each file's own header.</summary>
public sealed class AccountingTraceTests : IDisposable
{
    private static readonly Guid Pipeline = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
    private readonly TempDirectory _directory = new();
    private readonly AccountingTrace _trace;

    public AccountingTraceTests()
    {
        _trace = new AccountingTrace(new PipelineOptions { BounceProcessor = { AccountingDirectory = _directory.Path } });
        // Yesterday's file is closed and gzipped, written by a version without the last field (traceId); today's is open.
        var yesterday = Lines(AccountingRecord.Fields[..^1], Record("t", "ann@example.net", Pipeline, "m1@example.com", "4.7.1 greylisted, try again")[..^1],
            Record("d", "bob@example.net", Guid.NewGuid(), "other@example.com", "250 ok")[..^1]);
        using (var gz = new GZipStream(File.Create(Path.Combine(_directory.Path, "acct-2026-03-13.csv.gz")), CompressionLevel.Fastest))
            gz.Write(Encoding.UTF8.GetBytes(yesterday));
        File.WriteAllText(Path.Combine(_directory.Path, "acct-2026-03-14.csv"),
            Lines(AccountingRecord.Fields, Record("d", "ann@example.net", Pipeline, "m1@example.com", "250 2.0.0 \"queued\"", "4bf92f3577b34da6a3ce929d0e0e4736")));
    }

    public void Dispose() => _directory.Dispose();

    private static string?[] Record(string type, string rcpt, Guid pipelineId, string messageId, string diag, string? traceId = null) => [.. new AccountingRecord
    {
        Type = type, TimeLogged = new DateTimeOffset(2026, 3, 13, 9, 0, 0, TimeSpan.Zero), Rcpt = rcpt, DsnDiag = diag,
        MessageId = messageId, PipelineId = pipelineId, VirtualMta = "mta1", TraceId = traceId,
    }.Values()];

    private static string Lines(IEnumerable<string?> header, params IEnumerable<string?>[] rows) =>
        CsvField.Line(header) + string.Concat(rows.Select(CsvField.Line));

    [Theory]
    [InlineData("0f8fad5bd9cb469fa16570867728950e")]
    [InlineData("0F8FAD5B-D9CB-469F-A165-70867728950E")]
    [InlineData("<m1@example.com>")]
    [InlineData("m1@example.com")]
    public async Task Every_line_of_the_message_is_found_in_gzipped_and_open_files_oldest_first(string id)
    {
        var records = await _trace.FindAsync(id, CancellationToken.None);

        Assert.Equal([("acct-2026-03-13.csv.gz", "t"), ("acct-2026-03-14.csv", "d")], records.Select(r => (r.File, r.Fields["type"])));
        Assert.All(records, r => Assert.Equal("ann@example.net", r.Fields["rcpt"]));
        Assert.Equal("4.7.1 greylisted, try again", records[0].Fields["dsnDiag"]);
        Assert.Equal("250 2.0.0 \"queued\"", records[1].Fields["dsnDiag"]);
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", records[1].Fields["traceId"]);
        Assert.False(records[0].Fields.ContainsKey("traceId"));
    }

    [Fact]
    public async Task An_id_no_line_names_finds_nothing_even_when_it_occurs_in_another_field()
    {
        Assert.Empty(await _trace.FindAsync(Guid.NewGuid().ToString(), CancellationToken.None));
        Assert.Empty(await _trace.FindAsync("ann@example.net", CancellationToken.None));
        Assert.Empty(await _trace.FindAsync("m1@example", CancellationToken.None));
    }
}
