using Pipeline.Shared.Archiving;
using Pipeline.Shared.Configuration;

namespace Pipeline.BounceProcessor.Accounting;

/// <summary>Gzips closed accounting files (acct-YYYY-MM-DD.csv.gz, UTC days, never today's) and deletes them after
/// BounceProcessor:AccountingRetention, at start and daily.</summary>
public static class AccountingArchive
{
    public static IServiceCollection AddAccountingArchive(this IServiceCollection services) =>
        // An IHostedService of its own (not AddHostedService), so it never folds with the log files' archiver.
        services.AddSingleton<IHostedService>(sp =>
        {
            var options = sp.GetRequiredService<PipelineOptions>().BounceProcessor;
            var accounting = sp.GetRequiredService<AccountingLog>();
            var archiver = new ClosedFileArchiver(options.AccountingDirectory, AccountingLog.FilePrefix, AccountingLog.FileExtension,
                RetentionText.Parse(options.AccountingRetention));
            return new ClosedFileArchiveService(archiver, sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<ClosedFileArchiveService>>(), beforeRun: accounting.CloseStaleAsync);
        });
}
