using MassTransit;

namespace Pipeline.Ingest.Broker;

/// <summary>Endpoint policy of <see cref="SubmitMessageConsumer"/>: many submissions in flight (each waits for
/// publisher confirms), retries only for broker trouble; a refused submission goes straight to the error queue.</summary>
public sealed class SubmitMessageConsumerDefinition : ConsumerDefinition<SubmitMessageConsumer>
{
    public SubmitMessageConsumerDefinition() => ConcurrentMessageLimit = 64;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<SubmitMessageConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(r =>
        {
            r.Intervals(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30));
            r.Ignore<SubmissionRefusedException>();
        });
    }
}
