using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Pipeline.Dispatcher.Spool;

/// <summary>/readyz's spool entry: every spool of this Dispatcher is open (recovered) and still writing. A spool whose
/// device refused a write takes no more messages, so the Dispatcher is not ready until it is restarted.</summary>
public sealed class SpoolReadiness(SpoolRegistry spools) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!spools.Opened.IsCompletedSuccessfully)
            return Task.FromResult(HealthCheckResult.Unhealthy(spools.Opened.IsFaulted ? "the spools could not be opened" : "the spools are being recovered"));
        var failed = spools.All.Where(s => s.FailureReason is not null).Select(s => $"{s.VirtualMta}: {s.FailureReason}").ToList();
        if (failed.Count > 0) return Task.FromResult(HealthCheckResult.Unhealthy($"spool cannot write: {string.Join("; ", failed)}"));
        var counts = string.Join(", ", spools.All.Select(s => $"{s.VirtualMta} {s.MessageCount} messages"));
        return Task.FromResult(HealthCheckResult.Healthy(counts));
    }
}
