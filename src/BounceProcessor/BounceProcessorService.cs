using MassTransit;
using Pipeline.BounceProcessor.Accounting;
using Pipeline.BounceProcessor.Classification;
using Pipeline.BounceProcessor.Consumers;
using Pipeline.BounceProcessor.Reports;
using Pipeline.BounceProcessor.State;
using Pipeline.BounceProcessor.Telemetry;
using Pipeline.Shared.Telemetry;
using Pipeline.Shared.Configuration;
using Pipeline.Shared.Status;
using Pipeline.Shared.Messaging;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Pipeline.Shared.Hosting;
using StackExchange.Redis;

namespace Pipeline.BounceProcessor;

/// <summary>Registers the BounceProcessor in a host. Used by Program and by the standalone host.</summary>
public static class BounceProcessorService
{
    /// <param name="services">The host's services.</param>
    /// <param name="sharedState">Keep the suppression list and sent recipients in Redis (ConnectionStrings:Redis),
    /// shared by every instance; false keeps them in this process (the standalone host).</param>
    public static IPipelineBusModule AddBounceProcessor(this IServiceCollection services, bool sharedState = false)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<AccountingLog>();
        services.AddPipelineMetrics<BounceProcessorMetrics>();
        services.AddSingleton<AccountingTrace>();
        services.AddAccountingArchive();
        // Outcomes counted for the web monitor: in Redis with the other shared state, else in this process.
        services.AddStatusBoard(sharedState);
        services.AddSingleton(new RecentIds());
        services.AddSingleton(sp =>
        {
            var file = sp.GetRequiredService<PipelineOptions>().BounceProcessor.RulesFile;
            try
            {
                return new ReplyClassifier(file is { Length: > 0 } ? BounceRuleSet.Load(file) : BounceRuleSet.LoadDefault());
            }
            catch (BounceRulesException e)
            {
                throw new PipelineConfigurationException($"BounceProcessor:RulesFile: {e.Message}");
            }
        });
        services.AddSingleton<InboundReportParser>();
        if (sharedState)
        {
            services.AddSingleton<IConnectionMultiplexer>(sp =>
            {
                var configuration = sp.GetRequiredService<PipelineOptions>().ConnectionStrings.Redis;
                if (string.IsNullOrWhiteSpace(configuration))
                    throw new PipelineConfigurationException("ConnectionStrings:Redis: is required by the BounceProcessor (suppression list)");
                var redisOptions = ConfigurationOptions.Parse(configuration);
                // Keep running while Redis is away: StackExchange.Redis reconnects, and a failed call fails the
                // consumer, whose message is retried.
                redisOptions.AbortOnConnectFail = false;
                return ConnectionMultiplexer.Connect(redisOptions);
            });
            services.AddSingleton<ISuppressionList>(sp => new RedisSuppressionList(sp.GetRequiredService<IConnectionMultiplexer>(),
                sp.GetRequiredService<PipelineOptions>().BounceProcessor.RedisPrefix));
            // Without Redis outcomes cannot be matched or suppressions written: their messages wait in the broker.
            services.AddRedisReadiness(HealthStatus.Unhealthy);
            services.AddSingleton<ISentMessageStore>(sp =>
            {
                var o = sp.GetRequiredService<PipelineOptions>().BounceProcessor;
                return new RedisSentMessageStore(sp.GetRequiredService<IConnectionMultiplexer>(), o.RedisPrefix, DurationText.Parse(o.SentRetention));
            });
        }
        else
        {
            services.AddSingleton<ISuppressionList, InProcessSuppressionList>();
            services.AddSingleton<ISentMessageStore>(sp => new InProcessSentMessageStore(sp.GetRequiredService<TimeProvider>(),
                DurationText.Parse(sp.GetRequiredService<PipelineOptions>().BounceProcessor.SentRetention)));
        }
        return new BusModule();
    }

    private sealed class BusModule : IPipelineBusModule
    {
        public void AddConsumers(IBusRegistrationConfigurator bus)
        {
            bus.AddConsumer<DeliveryAttemptedConsumer>();
            bus.AddConsumer<InboundReportReceivedConsumer>();
        }

        public void ConfigureEndpoints(IBusRegistrationContext context, IBusFactoryConfigurator bus)
        {
            var prefix = context.GetRequiredService<PipelineOptions>().BounceProcessor.QueuePrefix;
            bus.ReceiveEndpoint(prefix + EntityNames.AccountingQueue, e =>
            {
                e.UseMessageRetry(r => r.Intervals(100, 1000, 5000));
                e.ConfigureConsumer<DeliveryAttemptedConsumer>(context);
            });
            bus.ReceiveEndpoint(prefix + EntityNames.InboundReportQueue, e =>
            {
                e.UseMessageRetry(r => r.Intervals(100, 1000, 5000));
                e.ConfigureConsumer<InboundReportReceivedConsumer>(context);
            });
        }
    }
}
