using Pipeline.Ingest.Tests.Support;

namespace Pipeline.Ingest.Tests.Broker;

/// <summary>One private RabbitMQ node for a test class, started once (about 7 s).</summary>
public sealed class PrivateBrokerFixture : IAsyncLifetime
{
    public PrivateRabbitMq Broker { get; private set; } = null!;

    public async Task InitializeAsync() => Broker = await PrivateRabbitMq.StartAsync();

    public async Task DisposeAsync() => await Broker.DisposeAsync();
}
