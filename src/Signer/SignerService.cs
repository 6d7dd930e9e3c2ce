using MassTransit;
using Pipeline.Shared.Configuration;
using Pipeline.Shared.Messaging;
using Pipeline.Shared.Telemetry;
using Pipeline.Signer.Telemetry;
using Pipeline.Signer.Consumers;
using Pipeline.Signer.Dkim;
using Pipeline.Signer.Routing;

namespace Pipeline.Signer;

/// <summary>Registers the Signer in a host. Used by Program and by the standalone host.</summary>
public static class SignerService
{
    /// <param name="queue">The queue the Signer consumes. Only the default one is bound to pipeline.accepted; another
    /// (a test's own, on a shared broker) receives just what is sent to it.</param>
    public static IPipelineBusModule AddSigner(this IServiceCollection services, string queue = EntityNames.SignerQueue)
    {
        services.AddSingleton<DkimKeyStore>();
        services.AddSingleton(sp => new MessageSigner(sp.GetRequiredService<DkimKeyStore>(), sp.GetRequiredService<PipelineOptions>()));
        services.AddSingleton<VirtualMtaSelector>();
        services.AddPipelineMetrics<SignerMetrics>();
        services.AddHostedService<DkimKeyReloader>();
        return new BusModule(queue);
    }

    /// <summary>Loads the keys before the bus starts, so a bad key stops the service at start, not at the first message.</summary>
    public static Task LoadKeysAsync(PipelineOptions options, IServiceProvider services, CancellationToken cancellationToken)
    {
        services.GetRequiredService<DkimKeyStore>();
        return Task.CompletedTask;
    }

    private sealed class BusModule(string queue) : IPipelineBusModule
    {
        public void AddConsumers(IBusRegistrationConfigurator bus) => bus.AddConsumer<MessageAcceptedConsumer>();

        public void ConfigureEndpoints(IBusRegistrationContext context, IBusFactoryConfigurator bus) =>
            bus.ReceiveEndpoint(queue, e =>
            {
                e.ConfigureConsumeTopology = queue == EntityNames.SignerQueue;
                // Transient trouble is retried a few times, then the message goes to <queue>_error with the
                // exception in its MT-Fault-* headers. A message that cannot be signed goes there at once: retrying
                // will not give it a From header or its domain a key.
                e.UseMessageRetry(r =>
                {
                    r.Ignore<DkimSigningException>();
                    r.Intervals(100, 1000, 5000);
                });
                e.ConfigureConsumer<MessageAcceptedConsumer>(context);
            });
    }
}
