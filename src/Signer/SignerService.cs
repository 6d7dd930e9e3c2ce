using MassTransit;
using Pipeline.Shared.Configuration;
using Pipeline.Shared.Messaging;
using Pipeline.Signer.Consumers;
using Pipeline.Signer.Dkim;
using Pipeline.Signer.Routing;

namespace Pipeline.Signer;

/// <summary>Registers the Signer in a host. Used by Program and by the standalone host.</summary>
public static class SignerService
{
    public static IPipelineBusModule AddSigner(this IServiceCollection services)
    {
        services.AddSingleton<DkimKeyStore>();
        services.AddSingleton<MessageSigner>();
        services.AddSingleton<VirtualMtaSelector>();
        return new BusModule();
    }

    /// <summary>Loads the keys before the bus starts, so a bad key stops the service at start, not at the first message.</summary>
    public static Task LoadKeysAsync(PipelineOptions options, IServiceProvider services, CancellationToken cancellationToken)
    {
        services.GetRequiredService<DkimKeyStore>();
        return Task.CompletedTask;
    }

    private sealed class BusModule : IPipelineBusModule
    {
        public void AddConsumers(IBusRegistrationConfigurator bus) => bus.AddConsumer<MessageAcceptedConsumer>();

        public void ConfigureEndpoints(IBusRegistrationContext context, IBusFactoryConfigurator bus) =>
            bus.ReceiveEndpoint(EntityNames.SignerQueue, e =>
            {
                e.UseMessageRetry(r => r.Intervals(100, 1000, 5000));
                e.ConfigureConsumer<MessageAcceptedConsumer>(context);
            });
    }
}
