using System.Diagnostics;
using System.Text;
using Pipeline.BounceProcessor.Telemetry;
using Pipeline.Shared.Configuration;
using Pipeline.Shared.Status;

namespace Pipeline.BounceProcessor.Accounting;

/// <summary>The accounting CSV files under BounceProcessor:AccountingDirectory (data/acct by default): one file a
/// day (acct-YYYY-MM-DD.csv, UTC), a header row at the top of each, one line per recipient outcome. Writes are
/// serialised and flushed before the caller's broker message is acknowledged. A record without a trace id gets the
/// current one: the consume of the event it records, which continues the message's trace. Each written record is also
/// counted on the status board (the web monitor). Closed days are gzipped and expired by the <see cref="AccountingArchive"/>.</summary>
public sealed class AccountingLog : IAsyncDisposable
{
    /// <summary>Accounting file names: acct-YYYY-MM-DD.csv.</summary>
    public const string FilePrefix = "acct-";
    public const string FileExtension = ".csv";

    private readonly string _directory;
    private readonly TimeProvider _clock;
    private readonly IStatusBoard? _board;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private FileStream? _file;
    private DateOnly _fileDay;
    private readonly BounceProcessorMetrics? _metrics;

    public AccountingLog(PipelineOptions options, TimeProvider clock, BounceProcessorMetrics? metrics = null, IStatusBoard? board = null)
    {
        _metrics = metrics;
        _directory = Path.GetFullPath(options.BounceProcessor.AccountingDirectory);
        _clock = clock;
        _board = board;
        Directory.CreateDirectory(_directory);
    }

    public async Task WriteAsync(AccountingRecord record, CancellationToken cancellationToken)
    {
        if (record.TraceId is null && Activity.Current is { } activity) record = record with { TraceId = activity.TraceId.ToHexString() };
        var line = Encoding.UTF8.GetBytes(CsvField.Line(record.Values()));
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var file = Current();
            await file.WriteAsync(line, cancellationToken).ConfigureAwait(false);
            await file.FlushAsync(cancellationToken).ConfigureAwait(false);
            _metrics?.Recorded(record.Type);
        }
        finally
        {
            _gate.Release();
        }
        if (_board is not null)
            await _board.RecordOutcomeAsync(new OutcomeRecorded(record.Type, record.TimeLogged, record.Rcpt, record.BounceCategory,
                StatusCode(record.DsnStatus), record.VirtualMta, record.DsnDiag), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the file of a past day if it is still open (no record since midnight), so the archiver can take
    /// it; the next record opens today's file as usual.</summary>
    public async Task CloseStaleAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_file is null || _fileDay == DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime)) return;
            await _file.DisposeAsync().ConfigureAwait(false);
            _file = null;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>"5.1.1 (permanent failure)" is shown as 5.1.1.</summary>
    private static string? StatusCode(string? dsnStatus) =>
        dsnStatus is { Length: > 0 } s && s.IndexOf(' ') is var space and > 0 ? s[..space] : dsnStatus;

    /// <summary>Today's file, opened (with its header row when new) on the first write of the day.</summary>
    private FileStream Current()
    {
        var today = DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime);
        if (_file is not null && _fileDay == today) return _file;
        _file?.Dispose();
        var path = Path.Combine(_directory, $"{FilePrefix}{today:yyyy-MM-dd}{FileExtension}");
        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 16384);
        _fileDay = today;
        if (_file.Length == 0)
            _file.Write(Encoding.UTF8.GetBytes(CsvField.Line(AccountingRecord.Fields)));
        return _file;
    }

    public async ValueTask DisposeAsync()
    {
        if (_file is not null) await _file.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
    }
}
