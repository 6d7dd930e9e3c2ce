using System.Diagnostics;
using System.Diagnostics.Metrics;
using Pipeline.Contracts;

namespace Pipeline.Dispatcher.Telemetry;

/// <summary>What the delivery workers count (meter "Pipeline.Dispatcher"), per VirtualMTA and provider group: each
/// recipient outcome (pipeline_messages_delivered_total, _deferred_total, _bounced_total) and the outbound SMTP
/// connections open now (pipeline_smtp_connections_open). Groups beyond <see cref="GroupLabels.Limit"/> count as "other".</summary>
public sealed class DeliveryMetrics
{
    public const string MeterName = "Pipeline.Dispatcher";

    private readonly Counter<long> _delivered;
    private readonly Counter<long> _deferred;
    private readonly Counter<long> _bounced;
    private readonly UpDownCounter<long> _connections;
    private readonly GroupLabels _groups;

    public DeliveryMetrics(IMeterFactory meters, GroupLabels groups)
    {
        _groups = groups;
        var meter = meters.Create(MeterName);
        _delivered = meter.CreateCounter<long>("pipeline.messages.delivered", null, "Recipients delivered (2xx after DATA), by VirtualMTA and provider group");
        _deferred = meter.CreateCounter<long>("pipeline.messages.deferred", null, "Recipient attempts deferred (to be retried), by VirtualMTA and provider group");
        _bounced = meter.CreateCounter<long>("pipeline.messages.bounced", null, "Recipients failed for good (refused or expired), by VirtualMTA and provider group");
        _connections = meter.CreateUpDownCounter<long>("pipeline.smtp.connections.open", null, "Outbound SMTP connections open now, by VirtualMTA and provider group");
    }

    /// <summary>Counts the outcomes of one attempt, one per recipient.</summary>
    public void Attempted(string virtualMta, string group, IReadOnlyList<DeliveryAttempted> attempts)
    {
        var tags = Tags(virtualMta, group);
        foreach (var attempt in attempts)
        {
            var counter = attempt.Outcome switch
            {
                DeliveryOutcome.Delivered => _delivered,
                DeliveryOutcome.Failed => _bounced,
                _ => _deferred,
            };
            counter.Add(1, tags);
        }
    }

    public void ConnectionOpened(string virtualMta, string group) => _connections.Add(1, Tags(virtualMta, group));

    public void ConnectionClosed(string virtualMta, string group) => _connections.Add(-1, Tags(virtualMta, group));

    private TagList Tags(string virtualMta, string group) => new() { { "vmta", virtualMta }, { "group", _groups.For(group) } };
}
