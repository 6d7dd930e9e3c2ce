using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serilog;
using Serilog.Events;

namespace Pipeline.Shared.Logging;

/// <summary>Serilog for every service: one line per event on the console, the service name on each line,
/// level from Log:Level (Debug, Information, Warning ...).</summary>
public static class PipelineLogging
{
    public const string OutputTemplate = "{Timestamp:HH:mm:ss.fff} {Level:u3} [{Service}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    public static IServiceCollection AddPipelineLogging(this IServiceCollection services, IConfiguration configuration, string service)
    {
        var level = Enum.TryParse<LogEventLevel>(configuration["Log:Level"], ignoreCase: true, out var l) ? l : LogEventLevel.Information;
        var directory = configuration["Log:Directory"];
        return services.AddSerilog(lc => WriteToFile(lc, directory, service)
            .MinimumLevel.Is(level)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .MinimumLevel.Override("MassTransit", LogEventLevel.Warning)
            .Enrich.WithProperty("Service", service)
            .WriteTo.Console(outputTemplate: OutputTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>With Log:Directory, also one file per day (&lt;service&gt;-yyyyMMdd.log, Serilog rolls on the local
    /// date); closed days are gzipped and expired by <see cref="LogFileArchive"/>, not by Serilog's file count.</summary>
    private static LoggerConfiguration WriteToFile(LoggerConfiguration lc, string? directory, string service) =>
        string.IsNullOrWhiteSpace(directory) ? lc
            : lc.WriteTo.File(Path.Combine(directory, service + "-.log"), rollingInterval: RollingInterval.Day, retainedFileCountLimit: null,
                outputTemplate: OutputTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture);
}
