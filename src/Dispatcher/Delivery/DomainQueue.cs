using System.Diagnostics;
using Pipeline.Contracts;
using Pipeline.Dispatcher.Spool;
using Pipeline.Dispatcher.Telemetry;
using Pipeline.Dispatcher.Traffic;
using Pipeline.Shared.Configuration;

namespace Pipeline.Dispatcher.Delivery;

/// <summary>The due work of one VirtualMTA for one destination domain, and the workers that deliver it: each worker
/// holds one connection (a permit from traffic control, so MaxSmtpOut holds across every Dispatcher), sends message
/// after message over it up to MaxMsgPerConnection, each only when the queue's rate, its source IP's rate and the
/// warm-up cap allow, and feeds every reply back so a throttling reply puts the queue into backoff. Limits are
/// counted per provider group (MX rollup), so all Google-hosted domains share Google's limits.</summary>
public sealed class DomainQueue(string virtualMta, string domain, IDeliveryQueue spool, DeliveryServices services)
{
    /// <summary>Recipients held here at most; beyond it the spool keeps them (a throttled domain must not take the
    /// whole take budget from the others).</summary>
    public const int Capacity = 2000;

    /// <summary>Backlog that warrants another connection.</summary>
    private const int RecipientsPerConnection = 20;

    /// <summary>Outcomes a connection may have waiting for the spool's flush before it stops to let them land: the
    /// next message does not wait for the previous one's group commit.</summary>
    private const int OutcomesInFlight = 64;

    /// <summary>A rate wait longer than this releases the connection and puts the work back in the spool until then.</summary>
    private static readonly TimeSpan LongestWaitOnConnection = TimeSpan.FromSeconds(2);

    /// <summary>Work whose delivery crashed comes back this much later, not in a tight loop and not never.</summary>
    private static readonly TimeSpan RetryAfterCrash = TimeSpan.FromMinutes(1);

    private readonly LinkedList<DueDelivery> _pending = new();
    private readonly Lock _lock = new();
    private readonly HashSet<Task> _running = [];
    private int _buffered;
    private int _workers;
    // Set once at shutdown, read by every worker between transactions.
    private volatile bool _draining;

    public string VirtualMta => virtualMta;
    public string Domain => domain;
    public string? Group { get; private set; }
    public string? LastReply { get; private set; }
    public string? LastError { get; private set; }
    public DateTimeOffset? LastAttemptAt { get; private set; }
    public int Buffered { get { lock (_lock) return _buffered; } }
    public int Workers { get { lock (_lock) return _workers; } }

    public bool HasRoom { get { lock (_lock) return _buffered < Capacity; } }

    /// <summary>Adds due work and starts a worker when the backlog needs one more connection.</summary>
    public void Enqueue(DueDelivery work, CancellationToken stopping)
    {
        bool start;
        lock (_lock)
        {
            _pending.AddLast(work);
            _buffered += work.Recipients.Count;
            var policy = services.Policies.For(domain, Group ?? domain);
            // One more connection per RecipientsPerConnection waiting, up to MaxSmtpOut (traffic control may still
            // refuse a worker its connection: then it waits for a permit).
            var wanted = Math.Clamp((_buffered + RecipientsPerConnection - 1) / RecipientsPerConnection, 1, policy.MaxSmtpOut);
            start = !_draining && _workers < wanted;
            if (start) _workers++;
        }
        if (start) StartWorker(stopping);
    }

    /// <summary>At shutdown: no new transaction starts; completes when the ones under way have ended and their
    /// outcomes are recorded (while the bus can still publish their events). What is still buffered stays in flight
    /// in the spool and is due again after the restart.</summary>
    public Task DrainAsync()
    {
        _draining = true;
        lock (_lock) return Task.WhenAll(_running);
    }

    private void StartWorker(CancellationToken stopping)
    {
        lock (_lock)
        {
            var worker = Task.Run(() => RunWorkerAsync(stopping), CancellationToken.None);
            _running.Add(worker);
            _ = worker.ContinueWith(done => { lock (_lock) _running.Remove(done); }, TaskScheduler.Default);
        }
    }

    private bool TryTake(out DueDelivery work)
    {
        lock (_lock)
        {
            if (_pending.First is not { } first)
            {
                work = null!;
                return false;
            }
            _pending.RemoveFirst();
            _buffered -= first.Value.Recipients.Count;
            work = first.Value;
            return true;
        }
    }

    private void PutBack(DueDelivery work)
    {
        lock (_lock)
        {
            _pending.AddFirst(work);
            _buffered += work.Recipients.Count;
        }
    }

    /// <summary>Takes the buffered work <paramref name="match"/> selects out of this queue (an operator's pause or
    /// delete): it is still in flight in the spool, and the caller completes it.</summary>
    public List<DueDelivery> TakeBuffered(Func<DueDelivery, bool> match)
    {
        lock (_lock)
        {
            var taken = new List<DueDelivery>();
            for (var node = _pending.First; node is not null;)
            {
                var next = node.Next;
                if (match(node.Value))
                {
                    taken.Add(node.Value);
                    _buffered -= node.Value.Recipients.Count;
                    _pending.Remove(node);
                }
                node = next;
            }
            return taken;
        }
    }

    private List<DueDelivery> TakeAll()
    {
        lock (_lock)
        {
            var all = _pending.ToList();
            _pending.Clear();
            _buffered = 0;
            return all;
        }
    }

    private async Task RunWorkerAsync(CancellationToken stopping)
    {
        try
        {
            Group ??= await services.Groups.GroupOfAsync(domain, stopping).ConfigureAwait(false);
            var group = Group;
            while (!stopping.IsCancellationRequested && !_draining && Buffered > 0)
            {
                // Looked up per connection, so a configuration reload applies to queues already running.
                var policy = services.Policies.For(domain, group);
                var (permit, wait) = await services.Traffic.TryOpenConnectionAsync(virtualMta, group, policy, stopping).ConfigureAwait(false);
                if (permit is null)
                {
                    await Task.Delay(Clamp(wait, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(5)), services.Clock, stopping).ConfigureAwait(false);
                    continue;
                }
                await using (permit.ConfigureAwait(false))
                {
                    var hold = await UseConnectionAsync(group, policy, stopping).ConfigureAwait(false);
                    if (hold > TimeSpan.Zero) await Task.Delay(hold, services.Clock, stopping).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping: what is still buffered is in flight in the spool and due again after the restart.
        }
        catch (Exception e)
        {
            LastError = e.Message;
            DispatcherLog.QueueWorkerFailed(services.Log, e, virtualMta, domain);
            await ReleaseAsync(TakeAll(), stopping).ConfigureAwait(false);
        }
        finally
        {
            bool restart;
            lock (_lock)
            {
                _workers--;
                // Work that arrived while the last worker was leaving must not be stranded.
                restart = _workers == 0 && _buffered > 0 && !_draining && !stopping.IsCancellationRequested;
                if (restart) _workers++;
            }
            if (restart) StartWorker(stopping);
        }
    }

    /// <summary>Opens a session and sends until the connection is used up, the work runs out or a rate says wait.
    /// Returns how long to wait before the next connection.</summary>
    private async Task<TimeSpan> UseConnectionAsync(string group, DomainPolicy policy, CancellationToken stopping)
    {
        var (session, failure) = await services.Connector.OpenAsync(virtualMta, domain, stopping).ConfigureAwait(false);
        if (session is null)
        {
            // No connection: the answer (a greeting refusal, no usable host) applies to everything waiting here.
            LastError = failure!.Diagnostic;
            LastAttemptAt = services.Clock.GetUtcNow();
            if (failure.SmtpCode > 0)
                await services.Traffic.ObserveReplyAsync(virtualMta, group, policy, failure.SmtpCode, failure.EnhancedStatus, failure.Diagnostic, stopping).ConfigureAwait(false);
            foreach (var work in TakeAll())
                await RecordAsync(work, failure.For(work.Recipients.Select(r => r.Address)), group, policy, stopping).ConfigureAwait(false);
            return TimeSpan.Zero;
        }
        var recording = new List<Task>(OutcomesInFlight);
        services.Metrics?.ConnectionOpened(virtualMta, group);
        try
        {
            await using var open = session.ConfigureAwait(false);
            while (!_draining && session.IsUsable && session.Transactions < policy.MaxMsgPerConnection && TryTake(out var work))
            {
                try
                {
                if (services.Engine.Expired(work) is { } expired)
                {
                    recording.Add(RecordAsync(work, expired, group, policy, stopping));
                    continue;
                }
                // Wait for the rates in short steps, taking again after each: another worker may take the slot first.
                var rate = await services.Traffic.TryTakeMessageAsync(virtualMta, group, policy, stopping).ConfigureAwait(false);
                while (!rate.Allowed && rate.RetryAfter <= LongestWaitOnConnection)
                {
                    await Task.Delay(rate.RetryAfter, services.Clock, stopping).ConfigureAwait(false);
                    rate = await services.Traffic.TryTakeMessageAsync(virtualMta, group, policy, stopping).ConfigureAwait(false);
                }
                if (!rate.Allowed)
                {
                    // A long wait (backoff rate, warm-up cap): the work goes back to the spool until then, so it
                    // neither holds memory nor this connection.
                    await services.Engine.PostponeAsync(work, spool, services.Clock.GetUtcNow() + rate.RetryAfter, stopping).ConfigureAwait(false);
                    foreach (var rest in TakeAll())
                        await services.Engine.PostponeAsync(rest, spool, services.Clock.GetUtcNow() + rate.RetryAfter, stopping).ConfigureAwait(false);
                    return TimeSpan.Zero;
                }
                LastAttemptAt = services.Clock.GetUtcNow();
                // The attempt's activity spans the transaction and the recording of its outcomes (the
                // DeliveryAttempted events are published inside it); the worker's own context goes back as it was.
                var outer = Activity.Current;
                var attempt = DispatcherActivities.StartAttempt(work, virtualMta, domain);
                try
                {
                    var results = await SendAsync(session, work, stopping).ConfigureAwait(false);
                    foreach (var result in results.Where(r => r.SmtpCode >= 400).DistinctBy(r => r.Diagnostic))
                        await services.Traffic.ObserveReplyAsync(virtualMta, group, policy, result.SmtpCode, result.EnhancedStatus, result.Diagnostic, stopping).ConfigureAwait(false);
                    var last = results[^1];
                    LastReply = last.SmtpCode > 0 ? $"{last.SmtpCode} {last.Diagnostic}" : last.Diagnostic;
                    if (last.SmtpCode is 0 or >= 400) LastError = LastReply;
                    recording.Add(RecordAsync(work, results, group, policy, stopping, attempt));
                    attempt = null;
                }
                finally
                {
                    attempt?.Dispose();
                    Activity.Current = outer;
                }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // This work was taken but has no outcome: give it back to the spool before the worker ends.
                    await ReleaseAsync([work], stopping).ConfigureAwait(false);
                    throw;
                }
                if (recording.Count >= OutcomesInFlight)
                {
                    await Task.WhenAll(recording).ConfigureAwait(false);
                    recording.Clear();
                }
            }
        }
        finally
        {
            services.Metrics?.ConnectionClosed(virtualMta, group);
            // Every outcome is in the spool before the connection's permit is given back.
            await Task.WhenAll(recording).ConfigureAwait(false);
        }
        return TimeSpan.Zero;
    }

    /// <summary>One transaction for the work's recipients; with VERP one per recipient, each with its own return
    /// path naming the message and the recipient, so that a later bounce maps back to it whatever its format.</summary>
    private async Task<IReadOnlyList<RecipientResult>> SendAsync(OutboundSession session, DueDelivery work, CancellationToken stopping)
    {
        var addresses = work.Recipients.Select(r => r.Address).ToList();
        if (services.VerpDomain is not { } verpDomain || string.IsNullOrEmpty(work.Message.MailFrom))
            return await session.SendAsync(work.Message, addresses, stopping).ConfigureAwait(false);
        var results = new List<RecipientResult>(addresses.Count);
        foreach (var address in addresses)
        {
            if (!session.IsUsable)
            {
                results.Add(new RecipientResult(address, DeliveryOutcome.Deferred, 0, "4.4.2",
                    $"{session.Hop.Host}: connection lost before this recipient's transaction", session.Hop.Host, session.RemoteIp));
                continue;
            }
            var returnPath = Pipeline.Shared.Verp.VerpAddress.Encode(work.Message.MessageId, address, verpDomain);
            results.AddRange(await session.SendAsync(work.Message with { MailFrom = returnPath }, [address], stopping).ConfigureAwait(false));
        }
        return results;
    }

    private async Task ReleaseAsync(IEnumerable<DueDelivery> works, CancellationToken stopping)
    {
        foreach (var work in works)
        {
            try
            {
                await services.Engine.PostponeAsync(work, spool, services.Clock.GetUtcNow() + RetryAfterCrash, stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The spool itself failed: the work stays in flight until the restart, which makes it due again.
                DispatcherLog.QueueWorkerFailed(services.Log, e, virtualMta, domain);
            }
        }
    }

    /// <summary>Records the outcomes within the attempt's activity: <paramref name="attempt"/> when a transaction was
    /// made (ended here), else a new one (outcomes decided without one: expiry, no connection).</summary>
    private async Task RecordAsync(DueDelivery work, IReadOnlyList<RecipientResult> results, string group, DomainPolicy policy, CancellationToken stopping,
        Activity? attempt = null)
    {
        using var activity = attempt ?? DispatcherActivities.StartAttempt(work, virtualMta, domain);
        // Only a deferral needs the mode (its retry waits longer in backoff): no shared-state read per delivered message.
        var mode = results.Any(r => r.Outcome == DeliveryOutcome.Deferred)
            ? await services.Traffic.ModeAsync(virtualMta, group, stopping).ConfigureAwait(false)
            : QueueMode.Normal;
        var published = await services.Engine.RecordAsync(work, results, spool, services.Bus,
            attempts => mode.InBackoff && policy.BackoffRetryAfter > policy.RetryDelay(attempts) ? policy.BackoffRetryAfter : policy.RetryDelay(attempts),
            stopping).ConfigureAwait(false);
        services.Metrics?.Attempted(virtualMta, group, published);
    }

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) => value < min ? min : value > max ? max : value;
}
