using MassTransit;
using Pipeline.Dispatcher.Consumers;
using Pipeline.Dispatcher.Delivery;
using Pipeline.Dispatcher.Management;
using Pipeline.Dispatcher.Routing;
using Pipeline.Dispatcher.Spool;
using Pipeline.Dispatcher.Telemetry;
using Pipeline.Dispatcher.Traffic;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Pipeline.Shared.Hosting;
using StackExchange.Redis;
using Pipeline.Shared.Configuration;
using Pipeline.Shared.Messaging;
using Pipeline.Shared.Telemetry;
using Pipeline.Shared.Status;
using Pipeline.Dispatcher.Status;

namespace Pipeline.Dispatcher;

/// <summary>Registers the Dispatcher in a host. Used by Program and by the standalone host.</summary>
public static class DispatcherService
{
    /// <param name="sharedState">Keep traffic limits in Redis (ConnectionStrings:Redis) so that every Dispatcher
    /// worker respects them together; false (the standalone host) keeps them in this process.</param>
    public static IPipelineBusModule AddDispatcher(this IServiceCollection services, PipelineOptions options, bool sharedState = true)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(NextHopResolver.CreateLookupClient(options.Dns));
        services.AddSingleton<NextHopResolver>();
        services.AddSingleton<MxHostHealth>();
        services.AddSingleton<OutboundConnector>();
        services.AddSingleton<DeliveryEngine>();
        AddTrafficControl(services, options, sharedState);
        services.AddSingleton<DomainGroups>();
        services.AddSingleton(sp => new DeliveryServices(
            sp.GetRequiredService<OutboundConnector>(), sp.GetRequiredService<TrafficController>(), sp.GetRequiredService<DeliveryEngine>(),
            sp.GetRequiredService<DomainGroups>(), sp.GetRequiredService<DomainPolicies>(), sp.GetRequiredService<IBus>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<DomainQueue>>(),
            options.Bounce.Verp ? options.Bounce.ReturnPathDomain : null, sp.GetRequiredService<DeliveryMetrics>()));
        services.AddSingleton<DeliveryQueues>();
        var served = new ServedVirtualMtas(options);
        services.AddSingleton(served);
        // Registered before the bus (AddPipelineBus runs after this): hosted services start in order, so every spool is
        // recovered before the first message is consumed, and stops after the bus and the scheduler.
        services.AddSingleton<SpoolRegistry>();
        services.AddHostedService(sp => sp.GetRequiredService<SpoolRegistry>());
        services.AddHealthChecks().AddCheck<SpoolReadiness>("spool", tags: ["ready"]);
        AddManagement(services, sharedState);
        services.AddHostedService<DeliveryScheduler>();
        services.AddPipelineMeters();
        services.AddSingleton<GroupLabels>();
        services.AddSingleton<DeliveryMetrics>();
        services.AddPipelineMetrics<QueueMetrics>();
        services.AddHostedService<QueueModeSampler>();
        // The fleet view: this worker's queues on the status board (Redis, or this process in the standalone host).
        services.AddSingleton<QueueStatusRows>();
        services.AddStatusBoard(sharedState);
        services.AddHostedService<QueueSnapshotPublisher>();
        return new BusModule(served);
    }

    /// <summary>Pauses, deletes, retries and reload (the management API). The pause synchronizer is a hosted service
    /// registered before the scheduler, so pauses held in Redis are in force before the first take after a restart.</summary>
    private static void AddManagement(IServiceCollection services, bool sharedState)
    {
        if (sharedState && services.Any(d => d.ServiceType == typeof(IConnectionMultiplexer)))
            services.AddSingleton<IPauseStore>(sp => new RedisPauseStore(sp.GetRequiredService<IConnectionMultiplexer>()));
        else
            services.AddSingleton<IPauseStore, LocalPauseStore>();
        services.AddSingleton<PauseSynchronizer>();
        services.AddHostedService(sp => sp.GetRequiredService<PauseSynchronizer>());
        services.AddSingleton<QueueManager>();
        services.AddSingleton(new ReloadSettings(RequireBroker: sharedState));
        services.AddSingleton<ConfigurationReloader>();
    }

    private static void AddTrafficControl(IServiceCollection services, PipelineOptions options, bool sharedState)
    {
        services.AddSingleton(new BackoffRules(options.Dispatcher.Traffic.BackoffPatterns));
        services.AddSingleton<LocalTrafficStore>();
        if (sharedState && options.ConnectionStrings.Redis is { Length: > 0 } redis)
        {
            services.AddSingleton<IConnectionMultiplexer>(_ =>
            {
                var configuration = ConfigurationOptions.Parse(redis);
                // Start and keep running without Redis: limits fall back to this process until it answers.
                configuration.AbortOnConnectFail = false;
                return ConnectionMultiplexer.Connect(configuration);
            });
            services.AddSingleton(sp => new RedisTrafficStore(sp.GetRequiredService<IConnectionMultiplexer>()));
            // Without Redis each worker keeps FallbackShare of every limit locally and delivers on: degraded.
            services.AddRedisReadiness(HealthStatus.Degraded);
            services.AddSingleton<ITrafficStore>(sp => new ResilientTrafficStore(sp.GetRequiredService<RedisTrafficStore>(),
                sp.GetRequiredService<LocalTrafficStore>(), options.Dispatcher.Traffic.FallbackShare,
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ResilientTrafficStore>>()));
        }
        else
        {
            services.AddSingleton<ITrafficStore>(sp => sp.GetRequiredService<LocalTrafficStore>());
        }
        services.AddSingleton<WarmUpSchedule>();
        services.AddSingleton<TrafficController>();
    }

    private sealed class BusModule(ServedVirtualMtas served) : IPipelineBusModule
    {
        public void AddConsumers(IBusRegistrationConfigurator bus)
        {
            bus.AddConsumer<MessageSignedConsumer>();
            bus.AddConsumer<BackoffSignalledConsumer>();
        }

        public void ConfigureEndpoints(IBusRegistrationContext context, IBusFactoryConfigurator bus)
        {
            var log = context.GetRequiredService<ILogger<MessageSignedConsumer>>();
            if (served.Names.Count == 0) DispatcherLog.ServingNothing(log);
            else DispatcherLog.Serving(log, string.Join(", ", served.Names));
            bus.ReceiveEndpoint(EntityNames.DispatcherBackoffQueue, e =>
            {
                e.UseMessageRetry(r => r.Intervals(500, 2000, 5000));
                e.ConfigureConsumer<BackoffSignalledConsumer>(context);
            });
            foreach (var virtualMta in served.Names)
            {
                bus.ReceiveEndpoint(EntityNames.DispatchQueue(virtualMta), e =>
                {
                    // Signed messages are sent to this queue, never published: no exchange bindings needed.
                    e.ConfigureConsumeTopology = false;
                    // Many consumers at once, so that many stores share one spool flush (group commit).
                    e.ConcurrentMessageLimit = 128;
                    e.PrefetchCount = 256;
                    e.UseMessageRetry(r => r.Intervals(1000, 5000, 15000));
                    e.ConfigureConsumer<MessageSignedConsumer>(context);
                });
            }
        }
    }
}
