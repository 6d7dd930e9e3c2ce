using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.BounceProcessor.Accounting;
using Pipeline.BounceProcessor.Telemetry;
using Pipeline.Shared.Configuration;

namespace Pipeline.BounceProcessor.Tests.Accounting;

public sealed class AccountingLogTests : IDisposable
{
    private static readonly DateTimeOffset Morning = new(2026, 3, 14, 9, 26, 53, 123, TimeSpan.Zero);
    private static readonly string Header = string.Join(',', AccountingRecord.Fields);
    private readonly TempDirectory _directory = new();
    private readonly ManualTimeProvider _clock = new(Morning);
    private readonly PipelineOptions _options;

    public AccountingLogTests() =>
        _options = new PipelineOptions { BounceProcessor = { AccountingDirectory = Path.Combine(_directory.Path, "acct") } };

    public void Dispose() => _directory.Dispose();

    private string FileOf(string day) => Path.Combine(_directory.Path, "acct", $"acct-{day}.csv");

    private static AccountingRecord Record(string recipient, DateTimeOffset at) => new()
    {
        Type = AccountingRecordType.Delivered,
        TimeLogged = at,
        TimeQueued = new DateTimeOffset(2026, 3, 14, 9, 0, 0, TimeSpan.Zero),
        Orig = "sender@example.com",
        Rcpt = recipient,
        DsnAction = "relayed",
        DsnStatus = "2.0.0 (success)",
        DsnDiag = "smtp;250 2.0.0 Ok, queued",
        DsnMta = "mx1.example.net (127.0.0.1)",
        VirtualMta = "mta1",
        SourceIp = "127.0.0.1",
        DestinationIp = "127.0.0.1",
        JobId = "j1",
        MessageId = "m1@example.com",
        PipelineId = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"),
        Attempt = 1,
    };

    [Fact]
    public async Task The_first_write_creates_the_days_file_with_the_header_row_then_the_record()
    {
        await using var log = new AccountingLog(_options, _clock);

        await log.WriteAsync(Record("rcpt@example.net", Morning), CancellationToken.None);

        var lines = TempDirectory.ReadLines(FileOf("2026-03-14"));
        Assert.Equal(
        [
            "type,timeLogged,timeQueued,orig,rcpt,dsnAction,dsnStatus,dsnDiag,dsnMta,bounceCat,vmta,dlvSourceIp,dlvDestinationIp,jobId,messageId,pipelineId,attempt,traceId",
            "d,2026-03-14 09:26:53.123+00:00,2026-03-14 09:00:00.000+00:00,sender@example.com,rcpt@example.net,relayed,2.0.0 (success)," +
            "\"smtp;250 2.0.0 Ok, queued\",mx1.example.net (127.0.0.1),,mta1,127.0.0.1,127.0.0.1,j1,m1@example.com,0f8fad5bd9cb469fa16570867728950e,1,",
        ], lines);
    }

    [Fact]
    public async Task A_record_written_within_a_trace_carries_its_trace_id_last_and_is_counted_by_type()
    {
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var metrics = new MetricRecorder(meters);
        await using var log = new AccountingLog(_options, _clock, new BounceProcessorMetrics(meters));
        using var activity = new Activity("consume").SetIdFormat(ActivityIdFormat.W3C).Start();

        await log.WriteAsync(Record("rcpt@example.net", Morning), CancellationToken.None);
        await log.WriteAsync(Record("other@example.net", Morning) with { Type = AccountingRecordType.Bounced, TraceId = "0af7651916cd43dd8448eb211c80319c" },
            CancellationToken.None);

        var lines = TempDirectory.ReadLines(FileOf("2026-03-14"));
        Assert.EndsWith(",traceId", lines[0]);
        Assert.EndsWith($",1,{activity.TraceId.ToHexString()}", lines[1]);
        // A trace id the record already has wins over the current one.
        Assert.EndsWith(",1,0af7651916cd43dd8448eb211c80319c", lines[2]);
        Assert.Equal(1, metrics.Sum("pipeline.accounting.records", ("type", "d")));
        Assert.Equal(1, metrics.Sum("pipeline.accounting.records", ("type", "b")));
    }

    [Fact]
    public async Task A_second_write_appends_without_a_second_header()
    {
        await using var log = new AccountingLog(_options, _clock);

        await log.WriteAsync(Record("one@example.net", Morning), CancellationToken.None);
        _clock.UtcNow = Morning.AddHours(1);
        await log.WriteAsync(Record("two@example.net", _clock.UtcNow), CancellationToken.None);

        var lines = TempDirectory.ReadLines(FileOf("2026-03-14"));
        Assert.Equal(3, lines.Length);
        Assert.Equal(Header, lines[0]);
        Assert.Contains(",one@example.net,", lines[1]);
        Assert.Contains(",two@example.net,", lines[2]);
    }

    [Fact]
    public async Task A_restarted_writer_appends_to_the_days_file_without_a_second_header()
    {
        await using (var first = new AccountingLog(_options, _clock))
            await first.WriteAsync(Record("one@example.net", Morning), CancellationToken.None);

        await using (var second = new AccountingLog(_options, _clock))
            await second.WriteAsync(Record("two@example.net", Morning), CancellationToken.None);

        var lines = TempDirectory.ReadLines(FileOf("2026-03-14"));
        Assert.Equal(3, lines.Length);
        Assert.Single(lines, l => l == Header);
    }

    [Fact]
    public async Task A_new_utc_day_opens_a_new_file_with_its_own_header()
    {
        await using var log = new AccountingLog(_options, _clock);
        _clock.UtcNow = new DateTimeOffset(2026, 3, 14, 23, 59, 59, TimeSpan.Zero);
        await log.WriteAsync(Record("late@example.net", _clock.UtcNow), CancellationToken.None);

        _clock.UtcNow = new DateTimeOffset(2026, 3, 15, 0, 0, 1, TimeSpan.Zero);
        await log.WriteAsync(Record("early@example.net", _clock.UtcNow), CancellationToken.None);

        var yesterday = TempDirectory.ReadLines(FileOf("2026-03-14"));
        Assert.Equal(2, yesterday.Length);
        Assert.Equal(Header, yesterday[0]);
        Assert.Contains(",late@example.net,", yesterday[1]);
        var today = TempDirectory.ReadLines(FileOf("2026-03-15"));
        Assert.Equal(2, today.Length);
        Assert.Equal(Header, today[0]);
        Assert.Contains(",early@example.net,", today[1]);
    }

    [Fact]
    public async Task The_day_is_the_utc_day_whatever_the_clocks_offset()
    {
        await using var log = new AccountingLog(_options, _clock);
        // 00:30 on the 15th at +02:00 is 22:30 UTC on the 14th.
        _clock.UtcNow = new DateTimeOffset(2026, 3, 15, 0, 30, 0, TimeSpan.FromHours(2));

        await log.WriteAsync(Record("rcpt@example.net", _clock.UtcNow), CancellationToken.None);

        Assert.True(File.Exists(FileOf("2026-03-14")));
        Assert.False(File.Exists(FileOf("2026-03-15")));
        Assert.StartsWith("d,2026-03-14 22:30:00.000+00:00,", TempDirectory.ReadLines(FileOf("2026-03-14"))[1]);
    }
}
