using MassTransit;
using Pipeline.Ingest.Smtp;
using Pipeline.Ingest.Submission;
using Pipeline.Shared.Configuration;
using Pipeline.Shared.Messaging;

namespace Pipeline.Ingest;

/// <summary>Registers Ingest in a host: the SMTP listener and the submitter. Used by Program and by the standalone host.</summary>
public static class IngestService
{
    public static IPipelineBusModule AddIngest(this IServiceCollection services, PipelineOptions options)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<MessageSubmitter>();
        services.AddSingleton<RelayPolicy>();
        services.AddSingleton<RelayMailboxFilter>();
        services.AddSingleton<PipelineMessageStore>();
        services.AddHostedService<SmtpListener>();
        return new BusModule();
    }

    /// <summary>Ingest only publishes in this version; broker submission (pipeline.submit) adds its consumer here.</summary>
    private sealed class BusModule : IPipelineBusModule
    {
        public void AddConsumers(IBusRegistrationConfigurator bus) { }

        public void ConfigureEndpoints(IBusRegistrationContext context, IBusFactoryConfigurator bus) { }
    }
}
