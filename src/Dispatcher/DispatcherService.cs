using MassTransit;
using Pipeline.Dispatcher.Consumers;
using Pipeline.Dispatcher.Delivery;
using Pipeline.Dispatcher.Routing;
using Pipeline.Dispatcher.Spool;
using Pipeline.Shared.Configuration;
using Pipeline.Shared.Messaging;

namespace Pipeline.Dispatcher;

/// <summary>Registers the Dispatcher in a host. Used by Program and by the standalone host.</summary>
public static class DispatcherService
{
    public static IPipelineBusModule AddDispatcher(this IServiceCollection services, PipelineOptions options)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(NextHopResolver.CreateLookupClient(options.Dns));
        services.AddSingleton<NextHopResolver>();
        services.AddSingleton<MxHostHealth>();
        services.AddSingleton<OutboundConnector>();
        services.AddSingleton<SmtpDeliverer>();
        services.AddSingleton<DeliveryEngine>();
        var served = new ServedVirtualMtas(options);
        services.AddSingleton(served);
        // Registered before the bus (AddPipelineBus runs after this): hosted services start in order, so every spool is
        // recovered before the first message is consumed, and stops after the bus and the scheduler.
        services.AddSingleton<SpoolRegistry>();
        services.AddHostedService(sp => sp.GetRequiredService<SpoolRegistry>());
        services.AddHostedService<SpoolScheduler>();
        return new BusModule(served);
    }

    private sealed class BusModule(ServedVirtualMtas served) : IPipelineBusModule
    {
        public void AddConsumers(IBusRegistrationConfigurator bus) => bus.AddConsumer<MessageSignedConsumer>();

        public void ConfigureEndpoints(IBusRegistrationContext context, IBusFactoryConfigurator bus)
        {
            var log = context.GetRequiredService<ILogger<MessageSignedConsumer>>();
            if (served.Names.Count == 0) DispatcherLog.ServingNothing(log);
            else DispatcherLog.Serving(log, string.Join(", ", served.Names));
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
