using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Pipeline.Shared.Hosting;

/// <summary>/readyz's Redis entry: a PING through the service's own connection. A service that works on without
/// Redis (the Dispatcher keeps a share of each limit locally) reports it as degraded, one that cannot as unhealthy.</summary>
public sealed class RedisReadiness(IConnectionMultiplexer redis, HealthStatus whenDown) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            await redis.GetDatabase().PingAsync().WaitAsync(Timeout, cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"PING answered in {clock.Elapsed.TotalMilliseconds:F1} ms");
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return new HealthCheckResult(whenDown, $"Redis does not answer: {e.Message}");
        }
    }
}

public static class RedisReadinessRegistration
{
    /// <summary>Adds the "redis" entry to /readyz for the service's registered <see cref="IConnectionMultiplexer"/>.</summary>
    public static IServiceCollection AddRedisReadiness(this IServiceCollection services, HealthStatus whenDown)
    {
        services.AddHealthChecks().Add(new HealthCheckRegistration("redis",
            sp => new RedisReadiness(sp.GetRequiredService<IConnectionMultiplexer>(), whenDown), whenDown, ["ready"]));
        return services;
    }
}
