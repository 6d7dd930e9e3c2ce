using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.Shared.Configuration;
using Pipeline.Shared.Logging;
using Pipeline.Shared.Telemetry;

namespace Pipeline.Shared.Hosting;

/// <summary>The start-up every service shares: load and validate the configuration file (a bad one ends the
/// process with <see cref="ConfigurationErrorExitCode"/> and a message naming the key), logging, the HTTP
/// listener with /healthz, /readyz and /metrics (Prometheus), and tracing.</summary>
public static class PipelineHost
{
    /// <summary>EX_CONFIG from sysexits.h: the configuration is wrong, restarting will not help.</summary>
    public const int ConfigurationErrorExitCode = 78;

    /// <summary>Builds and runs a service. <paramref name="configure"/> registers its services;
    /// <paramref name="listen"/> picks its HTTP listener from the options; <paramref name="map"/> adds endpoints.</summary>
    public static async Task<int> RunAsync(string[] args, string service, bool requireBroker,
        Func<PipelineOptions, string> listen,
        Action<WebApplicationBuilder, PipelineOptions> configure,
        Action<WebApplication>? map = null,
        Func<PipelineOptions, IServiceProvider, CancellationToken, Task>? beforeStart = null)
    {
        WebApplication app;
        PipelineOptions options;
        try
        {
            var builder = WebApplication.CreateSlimBuilder(args);
            var path = PipelineConfiguration.ResolvePath();
            builder.Configuration.AddPipelineConfiguration(path);
            builder.Configuration.AddCommandLine(args);
            options = PipelineConfiguration.Bind(builder.Configuration, path, requireBroker);

            builder.Services.AddPipelineLogging(builder.Configuration, service);
            builder.Services.AddLogFileArchive(options, service);
            builder.Services.AddSingleton(options);
            builder.Services.AddSingleton(new DomainPolicies(options));
            builder.Services.AddSingleton(new HttpAccessPolicy(options));
            builder.Services.AddHealthChecks();
            builder.Services.AddPipelineTelemetry(options, service);
            builder.WebHost.UseUrls($"http://{listen(options)}");
            configure(builder, options);
            app = builder.Build();
        }
        catch (PipelineConfigurationException e)
        {
            await Console.Error.WriteLineAsync($"{service}: bad configuration: {e.Message}");
            return ConfigurationErrorExitCode;
        }

        // Every endpoint below is subject to HttpAccess (PowerMTA's http-access); the probes are open to all.
        app.UseHttpAccess();
        app.MapGet("/healthz", () => Results.Text("ok")).RequireAccess(HttpAccessLevel.None);
        app.MapHealthChecks("/readyz", new HealthCheckOptions
            {
                Predicate = check => check.Tags.Contains("ready"),
                ResponseWriter = ReadinessReport.WriteAsync,
            })
            .RequireAccess(HttpAccessLevel.None);
        map?.Invoke(app);
        app.MapPipelineMetrics().RequireAccess(HttpAccessLevel.Monitor);
        try
        {
            if (beforeStart is not null) await beforeStart(options, app.Services, CancellationToken.None);
            await app.RunAsync();
            return 0;
        }
        catch (PipelineConfigurationException e)
        {
            await Console.Error.WriteLineAsync($"{service}: bad configuration: {e.Message}");
            return ConfigurationErrorExitCode;
        }
    }
}
