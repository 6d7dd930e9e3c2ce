using MassTransit;
using Pipeline.Contracts;
using Pipeline.Dispatcher.Queue;
using Pipeline.Shared.Configuration;

namespace Pipeline.Dispatcher.Delivery;

/// <summary>Delivers a message to its remaining recipients, one transaction per destination domain, publishes a
/// <see cref="DeliveryAttempted"/> per recipient and keeps the deferred ones for their next attempt. Recipients
/// older than their domain's BounceAfter fail with 5.4.7 instead of being deferred again.</summary>
public sealed class DeliveryEngine(SmtpDeliverer deliverer, DeferredStore deferred, DomainPolicies policies,
    PipelineOptions options, TimeProvider clock, ILogger<DeliveryEngine> log)
{
    public async Task DeliverAsync(MessageSigned message, IReadOnlyList<string> recipients, int attemptNumber,
        IPublishEndpoint events, CancellationToken cancellationToken)
    {
        var byDomain = recipients.GroupBy(DomainOf, StringComparer.OrdinalIgnoreCase);
        var tasks = byDomain.Select(g => deliverer.DeliverAsync(message, g.Key, g.ToList(), cancellationToken)).ToList();
        var results = (await Task.WhenAll(tasks).ConfigureAwait(false)).SelectMany(r => r).ToList();

        var now = clock.GetUtcNow();
        var stillDeferred = new List<string>();
        DateTimeOffset? next = null;
        foreach (var result in results)
        {
            var outcome = result;
            DateTimeOffset? nextAttempt = null;
            if (result.Outcome == DeliveryOutcome.Deferred)
            {
                var policy = policies.For(DomainOf(result.Recipient));
                if (now - message.AcceptedAt >= policy.BounceAfter)
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
                    nextAttempt = now + policy.RetryDelay(attemptNumber);
                    next = next is null || nextAttempt < next ? nextAttempt : next;
                    stillDeferred.Add(result.Recipient);
                }
            }
            DispatcherLog.Attempted(log, message.MessageId, outcome.Recipient, message.VirtualMta, outcome.Outcome, outcome.SmtpCode, outcome.Diagnostic);
            await events.Publish(new DeliveryAttempted
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
            }, cancellationToken).ConfigureAwait(false);
        }

        if (stillDeferred.Count > 0)
        {
            await deferred.SaveAsync(new DeferredMessage
            {
                Message = message,
                Recipients = stillDeferred,
                Attempts = attemptNumber,
                NextAttemptAt = next!.Value,
            }, cancellationToken).ConfigureAwait(false);
        }
        else if (attemptNumber > 1)
        {
            deferred.Remove(message.MessageId, message.VirtualMta);
        }
    }

    private static string DomainOf(string address) => address[(address.LastIndexOf('@') + 1)..];
}
