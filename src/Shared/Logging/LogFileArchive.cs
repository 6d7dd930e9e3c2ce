using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.Shared.Archiving;
using Pipeline.Shared.Configuration;

namespace Pipeline.Shared.Logging;

/// <summary>Gzips this service's closed log files (Log:Directory) and deletes them after Log:Retention.</summary>
public static class LogFileArchive
{
    public static IServiceCollection AddLogFileArchive(this IServiceCollection services, PipelineOptions options, string service)
    {
        if (string.IsNullOrWhiteSpace(options.Log.Directory)) return services;
        var archiver = new ClosedFileArchiver(options.Log.Directory, service + "-", ".log", RetentionText.Parse(options.Log.Retention));
        // Registered as an IHostedService instance of its own: AddHostedService would fold it with the accounting archiver.
        return services.AddSingleton<IHostedService>(sp => new ClosedFileArchiveService(archiver,
            sp.GetService<TimeProvider>() ?? TimeProvider.System, sp.GetRequiredService<ILogger<ClosedFileArchiveService>>(), localDays: true));
    }
}
