using MassTransit;
using Pipeline.Contracts;
using Pipeline.Ingest.Submission;

namespace Pipeline.Ingest.Broker;

/// <summary>Takes SubmitMessage JSON published by upstream apps to pipeline.submit, through the same validation
/// and building as the HTTP API. Acked only once every message built from it is confirmed in the pipeline; an
/// invalid one is moved to pipeline.ingest.submit_error with the reason, never dropped.</summary>
public sealed class SubmitMessageConsumer(SubmissionService submissions, ILogger<SubmitMessageConsumer> log) : IConsumer<SubmitMessage>
{
    public async Task Consume(ConsumeContext<SubmitMessage> context)
    {
        var outcome = await submissions.SubmitAsync(context.Message, "broker", null, context.CancellationToken).ConfigureAwait(false);
        switch (outcome.Status)
        {
            case SubmissionOutcomeStatus.Accepted:
                return;
            case SubmissionOutcomeStatus.Invalid:
            case SubmissionOutcomeStatus.TooLarge:
                var reason = (outcome.Status == SubmissionOutcomeStatus.TooLarge ? "too large: " : "invalid: ") +
                             string.Join("; ", outcome.Errors.SelectMany(e => e.Value.Select(v => $"{e.Key}: {v}")));
                IngestLog.SubmissionRefused(log, reason);
                throw new SubmissionRefusedException(reason);
            default:
                throw new BrokerUnavailableException($"the broker did not confirm: {outcome.Detail}");
        }
    }
}
