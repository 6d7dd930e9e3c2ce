using MassTransit;
using Pipeline.Contracts;
using Pipeline.Dispatcher.Spool;
using Pipeline.Shared.Configuration;

namespace Pipeline.Dispatcher.Delivery;

/// <summary>Delivers one piece of due work (a message's due recipients at one domain) in one SMTP transaction,
/// records each recipient's outcome in the queue, and then publishes a <see cref="DeliveryAttempted"/> per recipient.
/// Recipients older than their domain's BounceAfter fail with 5.4.7: those already expired when they come due are
/// not tried again, and a deferral whose retry would come after the limit fails at once.</summary>
public sealed class DeliveryEngine(SmtpDeliverer deliverer, DomainPolicies policies, PipelineOptions options,
    TimeProvider clock, ILogger<DeliveryEngine> log)
{
    public async Task DeliverAsync(DueDelivery work, IDeliveryQueue queue, IPublishEndpoint events, CancellationToken cancellationToken)
    {
        var message = work.Message;
        var policy = policies.For(work.Domain);
        var expired = clock.GetUtcNow() - message.AcceptedAt >= policy.BounceAfter;
        IReadOnlyList<RecipientResult> results = expired
            ? work.Recipients.Select(r => new RecipientResult(r.Address, DeliveryOutcome.Failed, 0, "5.4.7",
                $"Delivery time expired after {DurationText.Format(policy.BounceAfter)} in the queue; not attempted again", null, null)).ToList()
            : await deliverer.DeliverAsync(message, work.Domain, work.Recipients.Select(r => r.Address).ToList(), cancellationToken).ConfigureAwait(false);

        var now = clock.GetUtcNow();
        var byAddress = work.Recipients.ToDictionary(r => r.Address, StringComparer.OrdinalIgnoreCase);
        var completions = new List<RecipientCompletion>(results.Count);
        var attempts = new List<DeliveryAttempted>(results.Count);
        foreach (var result in results)
        {
            var recipient = byAddress[result.Recipient];
            var attemptNumber = recipient.AttemptsSoFar + 1;
            var outcome = result;
            DateTimeOffset? nextAttempt = null;
            if (result.Outcome == DeliveryOutcome.Deferred)
            {
                // As KumoMTA does: a retry that would come after the message's expiry is not waited for.
                if (now + policy.RetryAfter - message.AcceptedAt > policy.BounceAfter)
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
                    nextAttempt = now + policy.RetryAfter;
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
            });
        }

        // The spool first: once the outcome is durable the recipient is never tried again, even if the process dies
        // before the events are out. The other order could deliver a message twice.
        // The SMTP transaction is over: its outcome is recorded and its events go out even when stopping.
        await queue.CompleteAsync(completions, CancellationToken.None).ConfigureAwait(false);
        foreach (var attempt in attempts) await events.Publish(attempt, CancellationToken.None).ConfigureAwait(false);
    }
}
