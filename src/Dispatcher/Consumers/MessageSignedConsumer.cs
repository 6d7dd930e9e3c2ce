using System.Diagnostics;
using MassTransit;
using Pipeline.Contracts;
using Pipeline.Dispatcher.Spool;
using Pipeline.Dispatcher.Telemetry;

namespace Pipeline.Dispatcher.Consumers;

/// <summary>Takes a message from a VirtualMTA's dispatch queue into that VirtualMTA's spool. The broker message is
/// acknowledged when this returns, which is after the spool has flushed it to the device (group commit: concurrent
/// consumers share one flush). Delivery starts from the spool, later: the consume's traceparent is stored with the
/// message so that its delivery attempts continue the message's trace.</summary>
public sealed class MessageSignedConsumer(SpoolRegistry spools) : IConsumer<MessageSigned>
{
    public Task Consume(ConsumeContext<MessageSigned> context) =>
        spools.For(context.Message.VirtualMta).StoreAsync(context.Message, DispatcherActivities.TraceParentOf(Activity.Current), context.CancellationToken);
}
