using MassTransit;
using Pipeline.BounceProcessor.Accounting;
using Pipeline.BounceProcessor.Consumers;
using Pipeline.Shared.Messaging;

namespace Pipeline.BounceProcessor;

/// <summary>Registers the BounceProcessor in a host. Used by Program and by the standalone host.</summary>
public static class BounceProcessorService
{
    public static IPipelineBusModule AddBounceProcessor(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<AccountingLog>();
        services.AddSingleton(new RecentIds());
        return new BusModule();
    }

    private sealed class BusModule : IPipelineBusModule
    {
        public void AddConsumers(IBusRegistrationConfigurator bus) => bus.AddConsumer<DeliveryAttemptedConsumer>();

        public void ConfigureEndpoints(IBusRegistrationContext context, IBusFactoryConfigurator bus) =>
            bus.ReceiveEndpoint(EntityNames.AccountingQueue, e =>
            {
                e.UseMessageRetry(r => r.Intervals(100, 1000, 5000));
                e.ConfigureConsumer<DeliveryAttemptedConsumer>(context);
            });
    }
}
