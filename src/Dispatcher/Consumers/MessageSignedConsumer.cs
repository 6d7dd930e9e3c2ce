using MassTransit;
using Pipeline.Contracts;
using Pipeline.Dispatcher.Delivery;

namespace Pipeline.Dispatcher.Consumers;

/// <summary>First attempt for a message from a VirtualMTA's dispatch queue. The broker message is acknowledged
/// when this returns, which is after every recipient is either final or durably deferred.</summary>
public sealed class MessageSignedConsumer(DeliveryEngine engine) : IConsumer<MessageSigned>
{
    public Task Consume(ConsumeContext<MessageSigned> context) =>
        engine.DeliverAsync(context.Message, context.Message.Recipients, attemptNumber: 1, context, context.CancellationToken);
}
