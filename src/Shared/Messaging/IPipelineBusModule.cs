using MassTransit;

namespace Pipeline.Shared.Messaging;

/// <summary>What one service adds to the bus: its consumers and its receive endpoints. A service host registers
/// its own module; the standalone host registers all four on one in-memory bus.</summary>
public interface IPipelineBusModule
{
    void AddConsumers(IBusRegistrationConfigurator bus);

    void ConfigureEndpoints(IBusRegistrationContext context, IBusFactoryConfigurator bus);
}
