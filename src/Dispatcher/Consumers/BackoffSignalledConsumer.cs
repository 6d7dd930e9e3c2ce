using MassTransit;
using Pipeline.Contracts;
using Pipeline.Dispatcher.Routing;
using Pipeline.Dispatcher.Traffic;
using Pipeline.Shared.Configuration;

namespace Pipeline.Dispatcher.Consumers;

/// <summary>The BounceProcessor recognised a throttling or reputation reply (its rules are broader than the
/// Dispatcher's own patterns): the queue of that VirtualMTA towards the domain's provider group enters backoff,
/// for every Dispatcher worker at once since the mode is shared state.</summary>
public sealed class BackoffSignalledConsumer(TrafficController traffic, DomainGroups groups, DomainPolicies policies,
    PipelineOptions options, ILogger<BackoffSignalledConsumer> log) : IConsumer<BackoffSignalled>
{
    public async Task Consume(ConsumeContext<BackoffSignalled> context)
    {
        var signal = context.Message;
        if (!options.VirtualMtas.ContainsKey(signal.VirtualMta))
        {
            DispatcherLog.BackoffSignalForUnknownVirtualMta(log, signal.VirtualMta, signal.Domain);
            return;
        }
        var group = await groups.GroupOfAsync(signal.Domain, context.CancellationToken).ConfigureAwait(false);
        var policy = policies.For(signal.Domain, group);
        await traffic.EnterBackoffAsync(signal.VirtualMta, group,
            $"{signal.Category}{(signal.Rule is { } rule ? $" ({rule})" : "")}: {signal.SmtpCode} {signal.Diagnostic}",
            policy.BackoffToNormalAfter, context.CancellationToken).ConfigureAwait(false);
    }
}
