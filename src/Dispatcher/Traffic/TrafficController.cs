using MassTransit;
using Pipeline.Shared.Configuration;

namespace Pipeline.Dispatcher.Traffic;

/// <summary>Decides, for every Dispatcher worker alike, whether a queue (VirtualMTA × domain group) may open one more
/// connection or send one more message now: the queue's own limits (normal or backoff), its source IP's limits
/// across all destinations, and the VirtualMTA's warm-up cap. Replies are fed back through
/// <see cref="ObserveReplyAsync"/>, which puts the queue into backoff on a throttling pattern; the backoff lasts
/// until BackoffToNormalAfter has passed without another such reply.</summary>
public sealed class TrafficController(ITrafficStore store, BackoffRules rules, WarmUpSchedule warmUp, PipelineOptions options,
    TimeProvider clock, ILogger<TrafficController> log)
{
    private readonly TimeSpan _leaseTime = DurationText.Parse(options.Dispatcher.Traffic.LeaseTime);

    public async ValueTask<QueueMode> ModeAsync(string virtualMta, string group, CancellationToken cancellationToken) =>
        await store.GetFlagAsync(TrafficKeys.QueueBackoff(virtualMta, group), cancellationToken).ConfigureAwait(false) is { } reason
            ? new QueueMode(true, reason)
            : QueueMode.Normal;

    /// <summary>Connections open from every worker for a queue right now.</summary>
    public ValueTask<int> OpenConnectionsAsync(string virtualMta, string group, CancellationToken cancellationToken) =>
        store.CountLeasesAsync(TrafficKeys.QueueConnections(virtualMta, group), cancellationToken);

    /// <summary>A permit for a new connection, or null and how long to wait before asking again.</summary>
    public async ValueTask<(ConnectionPermit? Permit, TimeSpan RetryAfter)> TryOpenConnectionAsync(string virtualMta, string group,
        DomainPolicy policy, CancellationToken cancellationToken)
    {
        var vmta = options.VirtualMtas[virtualMta];
        var mode = await ModeAsync(virtualMta, group, cancellationToken).ConfigureAwait(false);
        var slots = new List<ConnectionSlot>(2)
        {
            new(TrafficKeys.QueueConnections(virtualMta, group), mode.InBackoff ? Math.Min(policy.BackoffMaxSmtpOut, policy.MaxSmtpOut) : policy.MaxSmtpOut),
        };
        if (vmta.SourceIpMaxSmtpOut is { } ipMax) slots.Add(new(TrafficKeys.SourceIpConnections(virtualMta), ipMax));

        var leaseId = NewId.NextGuid().ToString("N");
        if (!await store.TryLeaseAsync(slots, leaseId, _leaseTime, cancellationToken).ConfigureAwait(false))
            return (null, TimeSpan.FromMilliseconds(250));

        // The connection slot is ours; now the connect rates. A refusal gives the slot back.
        var wait = Later(
            await store.TryTakeAsync(TrafficKeys.QueueConnectRate(virtualMta, group), policy.MaxConnectRate, 1, cancellationToken).ConfigureAwait(false),
            vmta.SourceIpMaxConnectRate is { } ipRate
                ? await store.TryTakeAsync(TrafficKeys.SourceIpConnectRate(virtualMta), MessageRate.Parse(ipRate), 1, cancellationToken).ConfigureAwait(false)
                : RateDecision.Allow);
        if (!wait.Allowed)
        {
            await store.ReleaseAsync(slots, leaseId, cancellationToken).ConfigureAwait(false);
            return (null, wait.RetryAfter);
        }
        return (new ConnectionPermit(store, slots, leaseId, _leaseTime, clock), TimeSpan.Zero);
    }

    /// <summary>Takes one message from the queue's rate, its source IP's rate and the warm-up cap.</summary>
    public async ValueTask<RateDecision> TryTakeMessageAsync(string virtualMta, string group, DomainPolicy policy, CancellationToken cancellationToken)
    {
        var vmta = options.VirtualMtas[virtualMta];
        var mode = await ModeAsync(virtualMta, group, cancellationToken).ConfigureAwait(false);
        var rate = mode.InBackoff ? Slower(policy.BackoffMaxMsgRate, policy.MaxMsgRate) : policy.MaxMsgRate;
        var queue = await store.TryTakeAsync(TrafficKeys.QueueMessageRate(virtualMta, group), rate, 1, cancellationToken).ConfigureAwait(false);
        if (!queue.Allowed) return queue;
        if (vmta.SourceIpMaxMsgRate is { } ipRate)
        {
            var ip = await store.TryTakeAsync(TrafficKeys.SourceIpMessageRate(virtualMta), MessageRate.Parse(ipRate), 1, cancellationToken).ConfigureAwait(false);
            if (!ip.Allowed) return ip;
        }
        return await warmUp.TryTakeAsync(virtualMta, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Looks at a reply; a throttling or reputation reply puts (or keeps) the queue in backoff. Returns the
    /// reason when it did.</summary>
    public async ValueTask<string?> ObserveReplyAsync(string virtualMta, string group, DomainPolicy policy,
        int code, string enhancedStatus, string text, CancellationToken cancellationToken)
    {
        if (rules.Match(code, enhancedStatus, text) is not { } reason) return null;
        await EnterBackoffAsync(virtualMta, group, $"{reason}: {code} {text}", policy.BackoffToNormalAfter, cancellationToken).ConfigureAwait(false);
        return reason;
    }

    /// <summary>Backoff from outside (a BounceProcessor signal) or from a reply; each call restarts the clock.</summary>
    public async ValueTask EnterBackoffAsync(string virtualMta, string group, string reason, TimeSpan backoffToNormalAfter, CancellationToken cancellationToken)
    {
        var key = TrafficKeys.QueueBackoff(virtualMta, group);
        var wasInBackoff = await store.GetFlagAsync(key, cancellationToken).ConfigureAwait(false) is not null;
        await store.SetFlagAsync(key, reason, backoffToNormalAfter, cancellationToken).ConfigureAwait(false);
        if (!wasInBackoff) TrafficLog.BackoffEntered(log, virtualMta, group, reason);
    }

    /// <summary>The retry wait after a deferral: the backoff one while the queue is in backoff.</summary>
    public async ValueTask<TimeSpan> RetryDelayAsync(string virtualMta, string group, DomainPolicy policy, int attemptsMade, CancellationToken cancellationToken)
    {
        var normal = policy.RetryDelay(attemptsMade);
        var mode = await ModeAsync(virtualMta, group, cancellationToken).ConfigureAwait(false);
        return mode.InBackoff && policy.BackoffRetryAfter > normal ? policy.BackoffRetryAfter : normal;
    }

    private static RateDecision Later(RateDecision a, RateDecision b) =>
        a.Allowed && b.Allowed ? RateDecision.Allow : RateDecision.Wait(a.RetryAfter > b.RetryAfter ? a.RetryAfter : b.RetryAfter);

    /// <summary>Backoff never sends faster than normal mode would.</summary>
    private static MessageRate Slower(MessageRate backoff, MessageRate normal)
    {
        if (normal.IsUnlimited) return backoff;
        if (backoff.IsUnlimited) return normal;
        return backoff.Count / backoff.Per.TotalSeconds <= normal.Count / normal.Per.TotalSeconds ? backoff : normal;
    }
}
