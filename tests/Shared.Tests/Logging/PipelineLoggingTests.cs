using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.Shared.Archiving;
using Pipeline.Shared.Configuration;
using Pipeline.Shared.Logging;

namespace Pipeline.Shared.Tests.Logging;

/// <summary>Log:Directory adds a daily log file per service beside the console, and its archiver is registered.</summary>
public sealed class PipelineLoggingTests
{
    [Fact]
    public async Task With_a_log_directory_each_service_writes_its_own_daily_file_and_archives_it()
    {
        using var folder = new TempDirectory();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Log:Directory"] = folder.Path,
            ["Log:Retention"] = "30d",
        }).Build();
        var options = new PipelineOptions { Log = { Directory = folder.Path, Retention = "30d" } };
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddPipelineLogging(configuration, "ingest");
        services.AddLogFileArchive(options, "ingest");

        await using (var provider = services.BuildServiceProvider())
        {
            provider.GetRequiredService<ILogger<PipelineLoggingTests>>().LogInformation("hello {Who}", "file");
            Assert.Single(provider.GetServices<IHostedService>().OfType<ClosedFileArchiveService>());
        }

        var file = Assert.Single(Directory.GetFiles(folder.Path));
        Assert.Matches(@"ingest-\d{8}\.log$", file);
        Assert.NotNull(ClosedFileArchiver.DayOf(file, ".log"));
        Assert.Contains("[ingest]", await File.ReadAllTextAsync(file));
        Assert.Contains("hello file", await File.ReadAllTextAsync(file));
    }

    [Fact]
    public void Without_a_log_directory_there_is_no_archiver()
    {
        var services = new ServiceCollection();
        services.AddLogFileArchive(new PipelineOptions(), "ingest");
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(IHostedService));
    }
}
