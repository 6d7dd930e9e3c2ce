using MassTransit;
using Pipeline.Dispatcher.Routing;
using Pipeline.Dispatcher.Telemetry;
using Pipeline.Dispatcher.Traffic;
using Pipeline.Shared.Configuration;

namespace Pipeline.Dispatcher.Delivery;

/// <summary>What a <see cref="DomainQueue"/> worker needs, in one place.</summary>
public sealed record DeliveryServices(
    OutboundConnector Connector,
    TrafficController Traffic,
    DeliveryEngine Engine,
    DomainGroups Groups,
    DomainPolicies Policies,
    IBus Bus,
    TimeProvider Clock,
    ILogger<DomainQueue> Log,
    string? VerpDomain = null,
    DeliveryMetrics? Metrics = null);
