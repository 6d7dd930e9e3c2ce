using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Pipeline.Shared.Configuration;

namespace Pipeline.Shared.Telemetry;

/// <summary>Metrics and traces for every service, set up once: the services' own meters and activity sources (all
/// named "Pipeline.*"), MassTransit's (whose activities carry the W3C trace context in message headers from service
/// to service), ASP.NET Core and the .NET runtime. Metrics are served at GET /metrics in Prometheus text format;
/// traces go to Telemetry:OtlpEndpoint when set, and are made even when not (the accounting log records trace ids).</summary>
public static class PipelineTelemetry
{
    /// <summary>The prefix of every meter and activity source of ours.</summary>
    public const string Prefix = "Pipeline.";

    /// <summary>MassTransit's ActivitySource (its DiagnosticHeaders.DefaultListenerName).</summary>
    public const string MassTransitSource = "MassTransit";

    public const string MetricsPath = "/metrics";

    private static readonly (string Name, string ExportedAs)[] RenamedRuntimeGauges =
    [
        ("dotnet.assembly.count", "dotnet.assemblies.loaded"),
        ("dotnet.process.cpu.count", "dotnet.process.cpus"),
        ("dotnet.timer.count", "dotnet.timers"),
    ];

    public static IServiceCollection AddPipelineTelemetry(this IServiceCollection services, PipelineOptions options, string service)
    {
        services.AddPipelineMeters();
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(service))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(Prefix + "*")
                    .AddAspNetCoreInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddPrometheusExporter();
                // Prometheus reserves "_count" for histograms and summaries (promtool check metrics says so): the
                // runtime's three gauges named *.count are exported under plural names instead.
                foreach (var (name, exportedAs) in RenamedRuntimeGauges)
                    metrics.AddView(name, new MetricStreamConfiguration { Name = exportedAs });
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource(Prefix + "*", MassTransitSource)
                    // Scrapes and probes every few seconds would bury the mail's traces.
                    .AddAspNetCoreInstrumentation(o => o.Filter = http => !IsProbe(http.Request.Path));
                if (options.Telemetry.OtlpEndpoint is { Length: > 0 } endpoint)
                    tracing.AddOtlpExporter(o => o.Endpoint = new Uri(endpoint));
            });
        return services;
    }

    /// <summary>What the services' own instruments need (IMeterFactory, the shared publish histogram), also in hosts
    /// that export nothing (tests, tools).</summary>
    public static IServiceCollection AddPipelineMeters(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<BrokerPublishMetrics>();
        return services;
    }

    /// <summary>Registers a service's metrics object (a singleton), created at start so its gauges show at once.</summary>
    public static IServiceCollection AddPipelineMetrics<TMetrics>(this IServiceCollection services) where TMetrics : class
    {
        services.AddPipelineMeters();
        services.TryAddSingleton<TMetrics>();
        services.AddHostedService<MetricsActivator<TMetrics>>();
        return services;
    }

    /// <summary>GET /metrics, Prometheus text format.</summary>
    public static IEndpointConventionBuilder MapPipelineMetrics(this WebApplication app) => app.MapPrometheusScrapingEndpoint(MetricsPath);

    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments(MetricsPath) || path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz");
}
