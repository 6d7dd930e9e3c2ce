using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Pipeline.Shared.Configuration;
using StackExchange.Redis;

namespace Pipeline.Shared.Status;

public static class StatusBoardRegistration
{
    /// <summary>Registers the status board once per host: in Redis (ConnectionStrings:Redis) when
    /// <paramref name="sharedState"/> and Redis is configured, else in this process. Every service calls it; in the
    /// standalone host the first registration wins, so the four services share one in-process board.</summary>
    public static IServiceCollection AddStatusBoard(this IServiceCollection services, bool sharedState)
    {
        // A service that already connects to Redis (suppression, traffic) registered its own multiplexer; that one is used.
        if (sharedState)
        {
            services.TryAddSingleton<IConnectionMultiplexer>(sp =>
            {
                var configuration = ConfigurationOptions.Parse(sp.GetRequiredService<PipelineOptions>().ConnectionStrings.Redis!);
                // Start and keep running without Redis: the monitor shows the gap, mail goes on.
                configuration.AbortOnConnectFail = false;
                return ConnectionMultiplexer.Connect(configuration);
            });
        }
        services.TryAddSingleton<IStatusBoard>(sp =>
        {
            var options = sp.GetRequiredService<PipelineOptions>();
            var clock = sp.GetService<TimeProvider>() ?? TimeProvider.System;
            return sharedState && options.ConnectionStrings.Redis is { Length: > 0 }
                ? new RedisStatusBoard(sp.GetRequiredService<IConnectionMultiplexer>(), options.Monitor.RedisPrefix, clock,
                    sp.GetRequiredService<ILogger<RedisStatusBoard>>(), options.Monitor.RecentEvents)
                : new InProcessStatusBoard(clock, options.Monitor.RecentEvents);
        });
        return services;
    }
}
