using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Pipeline.Shared.Archiving;

/// <summary>Runs a <see cref="ClosedFileArchiver"/> at start and then every day, a minute after midnight (UTC, or local
/// time for Serilog's files, which roll on the local date). A failed run is logged and tried again the next day.</summary>
/// <param name="beforeRun">Lets the writer close yesterday's file first (the accounting log keeps it open until its
/// next write).</param>
public sealed class ClosedFileArchiveService(ClosedFileArchiver archiver, TimeProvider clock, ILogger<ClosedFileArchiveService> log,
    bool localDays = false, Func<CancellationToken, Task>? beforeRun = null) : BackgroundService
{
    private static readonly TimeSpan AfterMidnight = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await RunOnceAsync(stoppingToken).ConfigureAwait(false);
            var now = Now();
            var next = now.Date.AddDays(1) + AfterMidnight;
            try
            {
                await Task.Delay(next - now.DateTime, clock, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One pass: closes the writer's stale file, compresses closed days, deletes expired ones.</summary>
    public async Task<ArchiveReport?> RunOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (beforeRun is not null) await beforeRun(cancellationToken).ConfigureAwait(false);
            var today = DateOnly.FromDateTime(Now().DateTime);
            // File work off the caller's thread: at start a long backlog must not hold up the host.
            var report = await Task.Run(() => archiver.Run(today), cancellationToken).ConfigureAwait(false);
            if (!report.IsEmpty)
                ArchiveLog.Archived(log, archiver.Directory, archiver.NamePrefix, report.Compressed.Count, report.Deleted.Count, report.LeftoversRemoved.Count);
            return report;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            ArchiveLog.Failed(log, archiver.Directory, archiver.NamePrefix, e.Message);
            return null;
        }
    }

    private DateTimeOffset Now() => localDays ? clock.GetLocalNow() : clock.GetUtcNow();
}
