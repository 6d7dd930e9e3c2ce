using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Contracts;
using Pipeline.Shared.Configuration;

namespace Pipeline.Shared.Messaging;

/// <summary>The MassTransit set-up every service shares: RabbitMQ from ConnectionStrings:RabbitMq, or the
/// in-memory transport for the standalone host; plain JSON on the wire; the exchange names of DESIGN.md.</summary>
public static class PipelineBus
{
    public static IServiceCollection AddPipelineBus(this IServiceCollection services, PipelineOptions options,
        bool inMemory, params IPipelineBusModule[] modules)
    {
        services.AddMassTransit(bus =>
        {
            foreach (var module in modules) module.AddConsumers(bus);

            if (inMemory)
            {
                bus.UsingInMemory((context, cfg) => Configure(context, cfg, modules));
            }
            else
            {
                var uri = new Uri(options.ConnectionStrings.RabbitMq!);
                bus.UsingRabbitMq((context, cfg) =>
                {
                    cfg.Host(uri, h =>
                    {
                        // Publisher confirms are what lets Ingest say 250 only once the broker has the message.
                        h.PublisherConfirmation = true;
                        h.ConnectionName(AppDomain.CurrentDomain.FriendlyName);
                    });
                    Configure(context, cfg, modules);
                });
            }
        });
        services.Configure<MassTransitHostOptions>(o =>
        {
            // Start without waiting for the broker: a service whose broker is down keeps running and answers
            // 451 / 503 instead of failing to start; MassTransit reconnects by itself.
            o.WaitUntilStarted = false;
            o.StopTimeout = TimeSpan.FromSeconds(30);
        });
        return services;
    }

    private static void Configure(IBusRegistrationContext context, IBusFactoryConfigurator cfg, IPipelineBusModule[] modules)
    {
        // Plain JSON without MassTransit's envelope: apps in any language publish to pipeline.submit and read
        // pipeline.events.*, and every message body is readable in the management UI.
        cfg.UseRawJsonSerializer(RawSerializerOptions.AnyMessageType | RawSerializerOptions.AddTransportHeaders, isDefault: true);
        cfg.UseRawJsonDeserializer(RawSerializerOptions.AnyMessageType | RawSerializerOptions.AddTransportHeaders, isDefault: true);

        cfg.Message<SubmitMessage>(m => m.SetEntityName(EntityNames.Submit));
        cfg.Message<MessageAccepted>(m => m.SetEntityName(EntityNames.Accepted));
        cfg.Message<MessageSigned>(m => m.SetEntityName(EntityNames.Signed));
        cfg.Message<DeliveryAttempted>(m => m.SetEntityName(EntityNames.DeliveryEvents));
        cfg.Message<BounceClassified>(m => m.SetEntityName(EntityNames.BounceEvents));
        cfg.Message<FeedbackReceived>(m => m.SetEntityName(EntityNames.FeedbackEvents));
        cfg.Message<BackoffSignalled>(m => m.SetEntityName(EntityNames.Backoff));
        cfg.Message<InboundReportReceived>(m => m.SetEntityName(EntityNames.InboundReports));

        foreach (var module in modules) module.ConfigureEndpoints(context, cfg);
    }
}
