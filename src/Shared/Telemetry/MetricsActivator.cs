using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Pipeline.Shared.Telemetry;

/// <summary>Creates a service's metrics object when the host starts, not at its first use: its observable gauges
/// (queue depth, open sessions) must be on /metrics from the first scrape, before any mail has moved.</summary>
internal sealed class MetricsActivator<TMetrics>(IServiceProvider services) : IHostedService where TMetrics : class
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        services.GetRequiredService<TMetrics>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
