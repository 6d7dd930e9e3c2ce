using MassTransit;
using Pipeline.Contracts;
using Pipeline.Dispatcher.Spool;
using Pipeline.Shared.Configuration;
using Pipeline.Shared.Telemetry;

namespace Pipeline.Dispatcher.Delivery;

/// <summary>The outcomes of delivery work (a message's due recipients at one domain): records each recipient's
/// outcome in the queue, then publishes a <see cref="DeliveryAttempted"/> per recipient. Recipients older than their
/// domain's BounceAfter fail with 5.4.7: those already expired when they come due are not tried again, and a
/// deferral whose retry would come after the limit fails at once. The <see cref="DomainQueue"/> workers deliver.</summary>
public sealed class DeliveryEngine(DomainPolicies policies, PipelineOptions options, TimeProvider clock, ILogger<DeliveryEngine> log,
    BrokerPublishMetrics? publishMetrics = null)
{
    /// <summary>The 5.4.7 results for work whose message is past its domain's BounceAfter already, or null.</summary>
    public IReadOnlyList<RecipientResult>? Expired(DueDelivery work)
    {
        var policy = policies.For(work.Domain);
        if (clock.GetUtcNow() - work.Message.AcceptedAt < policy.BounceAfter) return null;
        return work.Recipients.Select(r => new RecipientResult(r.Address, DeliveryOutcome.Failed, 0, "5.4.7",
            $"Delivery time expired after {DurationText.Format(policy.BounceAfter)} in the queue; not attempted again", null, null)).ToList();
    }

    /// <summary>Puts work back in the queue untried until <paramref name="until"/> (a rate or warm-up wait): no
    /// attempt was made, so no attempt is counted and no event is published.</summary>
    public Task PostponeAsync(DueDelivery work, IDeliveryQueue queue, DateTimeOffset until, CancellationToken cancellationToken) =>
        queue.CompleteAsync(work.Recipients.Select(r => new RecipientCompletion(r.Handle,
            new RecipientStatus(RecipientState.Deferred, (ushort)Math.Min(r.AttemptsSoFar, ushort.MaxValue), until.UtcTicks))).ToList(),
            cancellationToken);

    /// <summary>Records each recipient's outcome in the queue (durably) and then publishes its
    /// <see cref="DeliveryAttempted"/>. <paramref name="retryDelay"/> gives the wait before the next attempt for a
    /// number of attempts made (traffic control lengthens it in backoff mode); the domain's schedule when null.
    /// <paramref name="administrative"/> marks outcomes an operator decided (no receiver was asked).
    /// Returns the events published, one per recipient.</summary>
    public async Task<IReadOnlyList<DeliveryAttempted>> RecordAsync(DueDelivery work, IReadOnlyList<RecipientResult> results, IDeliveryQueue queue, IPublishEndpoint events,
        Func<int, TimeSpan>? retryDelay, CancellationToken cancellationToken, string? administrative = null)
    {
        var message = work.Message;
        var policy = policies.For(work.Domain);
        var now = clock.GetUtcNow();
        var byAddress = work.Recipients.ToDictionary(r => r.Address, StringComparer.OrdinalIgnoreCase);
        var completions = new List<RecipientCompletion>(results.Count);
        var attempts = new List<DeliveryAttempted>(results.Count);
        foreach (var result in results)
        {
            var recipient = byAddress[result.Recipient];
            // An operator's decision is not an attempt: the count stays what the receivers saw.
            var attemptNumber = administrative is null ? recipient.AttemptsSoFar + 1 : recipient.AttemptsSoFar;
            var outcome = result;
            DateTimeOffset? nextAttempt = null;
            if (result.Outcome == DeliveryOutcome.Deferred)
            {
                // As KumoMTA does: a retry that would come after the message's expiry is not waited for.
                var wait = retryDelay?.Invoke(attemptNumber) ?? policy.RetryDelay(attemptNumber);
                if (now + wait - message.AcceptedAt > policy.BounceAfter)
                {
                    outcome = result with
                    {
                        Outcome = DeliveryOutcome.Failed,
                        EnhancedStatus = "5.4.7",
                        Diagnostic = $"Delivery time expired after {DurationText.Format(policy.BounceAfter)}; last reply: {result.Diagnostic}",
                    };
                }
                else
                {
                    nextAttempt = now + wait;
                }
            }
            var state = outcome.Outcome switch
            {
                DeliveryOutcome.Delivered => RecipientState.Delivered,
                DeliveryOutcome.Failed => RecipientState.Failed,
                _ => RecipientState.Deferred,
            };
            completions.Add(new RecipientCompletion(recipient.Handle,
                new RecipientStatus(state, (ushort)Math.Min(attemptNumber, ushort.MaxValue), (nextAttempt ?? now).UtcTicks)));
            DispatcherLog.Attempted(log, message.MessageId, outcome.Recipient, message.VirtualMta, outcome.Outcome, outcome.SmtpCode, outcome.Diagnostic);
            attempts.Add(new DeliveryAttempted
            {
                AttemptId = NewId.NextGuid(),
                MessageId = message.MessageId,
                Outcome = outcome.Outcome,
                MailFrom = message.MailFrom,
                Recipient = outcome.Recipient,
                SmtpCode = outcome.SmtpCode,
                EnhancedStatus = outcome.EnhancedStatus,
                Diagnostic = outcome.Diagnostic,
                RemoteMta = outcome.RemoteMta,
                RemoteIp = outcome.RemoteIp,
                VirtualMta = message.VirtualMta,
                SourceIp = options.VirtualMtas[message.VirtualMta].SourceIp,
                JobId = message.JobId,
                HeaderMessageId = message.HeaderMessageId,
                QueuedAt = message.AcceptedAt,
                AttemptedAt = now,
                AttemptNumber = attemptNumber,
                NextAttemptAt = nextAttempt,
                TlsProtocol = outcome.TlsProtocol,
                Administrative = administrative,
            });
        }

        // The spool first: once the outcome is durable the recipient is never tried again, even if the process dies
        // before the events are out. The other order could deliver a message twice.
        // The SMTP transaction is over: its outcome is recorded and its events go out even when stopping.
        await queue.CompleteAsync(completions, CancellationToken.None).ConfigureAwait(false);
        foreach (var attempt in attempts)
        {
            if (publishMetrics is null) await events.Publish(attempt, CancellationToken.None).ConfigureAwait(false);
            else await publishMetrics.TimeAsync("dispatcher", nameof(DeliveryAttempted), () => events.Publish(attempt, CancellationToken.None)).ConfigureAwait(false);
        }
        return attempts;
    }
}
