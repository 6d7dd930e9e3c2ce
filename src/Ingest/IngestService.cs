using MassTransit;
using Pipeline.Ingest.Broker;
using Pipeline.Ingest.Mime;
using Pipeline.Ingest.Security;
using Pipeline.Ingest.Smtp;
using Pipeline.Ingest.Submission;
using Pipeline.Ingest.Suppression;
using Pipeline.Ingest.Telemetry;
using Pipeline.Shared.Telemetry;
using Pipeline.Shared.Configuration;
using Pipeline.Shared.Status;
using Pipeline.Shared.Messaging;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Pipeline.Shared.Hosting;
using StackExchange.Redis;

namespace Pipeline.Ingest;

/// <summary>Registers Ingest in a host: the SMTP listener, the HTTP API's services, the submitter and the
/// pipeline.submit consumer. Used by Program and by the standalone host.</summary>
public static class IngestService
{
    /// <param name="suppression">Where the suppression list is read from instead of Redis (the standalone host's
    /// BounceProcessor keeps it in process); null for Redis (ConnectionStrings:Redis).</param>
    public static IPipelineBusModule AddIngest(this IServiceCollection services, PipelineOptions options,
        Func<IServiceProvider, ISuppressionList>? suppression = null)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ListUnsubscribe>();
        services.AddSingleton<MessageSubmitter>();
        services.AddPipelineMetrics<IngestMetrics>();
        services.AddSingleton<RelayPolicy>();
        services.AddSingleton<SmtpUsers>();
        services.AddSingleton<TlsCertificateSource>();
        services.AddSingleton<ConnectionLimiter>();
        services.AddSingleton<SmtpSessionSettings>();
        services.AddSingleton<MessageBuilder>();
        services.AddSingleton<SubmitMessageValidator>();
        services.AddSingleton<SubmissionService>();
        services.AddSingleton<Http.ApiKeys>();
        // Accepted messages counted for the web monitor, which Ingest serves (Monitor/MonitorEndpoints).
        services.AddStatusBoard(sharedState: true);
        services.AddSingleton<Monitor.MonitorViewBuilder>();
        if (suppression is not null && options.Ingest.Smtp.Suppressed != "off") services.AddSingleton(suppression);
        else AddSuppressionList(services, options);
        services.AddHostedService<SmtpListener>();
        return new BusModule();
    }

    /// <summary>The suppression list lives in Redis; without ConnectionStrings:Redis (standalone) there is none.</summary>
    private static void AddSuppressionList(IServiceCollection services, PipelineOptions options)
    {
        if (options.Ingest.Smtp.Suppressed == "off" || string.IsNullOrWhiteSpace(options.ConnectionStrings.Redis))
        {
            services.AddSingleton<ISuppressionList, NoSuppressionList>();
            return;
        }
        services.AddSingleton<IConnectionMultiplexer>(_ =>
        {
            var config = ConfigurationOptions.Parse(options.ConnectionStrings.Redis);
            // Start and keep running while Redis is away; lookups fail fast and are logged meanwhile.
            config.AbortOnConnectFail = false;
            return ConnectionMultiplexer.Connect(config);
        });
        services.AddSingleton<ISuppressionList>(sp => new RedisSuppressionList(sp.GetRequiredService<IConnectionMultiplexer>(), options.BounceProcessor.RedisPrefix));
        // Without Redis the suppression check cannot answer: mail is still accepted, so degraded, not down.
        services.AddRedisReadiness(HealthStatus.Degraded);
    }

    /// <summary>The pipeline.submit endpoint: upstream apps publish SubmitMessage JSON to that exchange.</summary>
    private sealed class BusModule : IPipelineBusModule
    {
        public void AddConsumers(IBusRegistrationConfigurator bus) =>
            bus.AddConsumer<SubmitMessageConsumer, SubmitMessageConsumerDefinition>();

        public void ConfigureEndpoints(IBusRegistrationContext context, IBusFactoryConfigurator bus) =>
            bus.ReceiveEndpoint(EntityNames.SubmitQueue, e => e.ConfigureConsumer<SubmitMessageConsumer>(context));
    }
}
