using Pipeline.Contracts;
using Pipeline.Shared.Configuration;

namespace Pipeline.Ingest.Submission;

/// <summary>Takes a <see cref="SubmitMessage"/> from the HTTP API or pipeline.submit: validates it, builds its
/// message(s) and submits them all at once through the <see cref="MessageSubmitter"/>, so a 1,000-recipient batch
/// costs one round of publisher confirms, not 1,000 in a row.</summary>
public sealed class SubmissionService(SubmitMessageValidator validator, MessageBuilder builder, MessageSubmitter submitter,
    PipelineOptions options)
{
    public async Task<SubmissionOutcome> SubmitAsync(SubmitMessage message, string channel, string? clientAddress,
        CancellationToken cancellationToken)
    {
        var errors = validator.Validate(message);
        if (errors.Count > 0) return new SubmissionOutcome(SubmissionOutcomeStatus.Invalid) { Errors = errors };

        var built = builder.Build(message);
        var largest = built.Max(b => b.Content.Length);
        if (largest > options.Ingest.Smtp.MaxMessageBytes)
        {
            return new SubmissionOutcome(SubmissionOutcomeStatus.TooLarge)
            {
                Errors = new Dictionary<string, string[]>
                {
                    [message.Raw is null ? "attachments" : "raw"] = [$"the message is {largest} bytes; at most {options.Ingest.Smtp.MaxMessageBytes}"],
                },
            };
        }

        var mailFrom = message.MailFrom ?? (message.From is { } from && MimeKit.MailboxAddress.TryParse(from, out var author) ? author.Address : "");
        var virtualMta = message.VirtualMta is { Length: > 0 } v ? v : message.Pool is { Length: > 0 } p ? p : null;
        var submissions = built.Select(b => submitter.SubmitAsync(
            new Envelope(mailFrom, b.Recipients, channel, clientAddress)
            {
                Protocol = channel.ToUpperInvariant(),
                VirtualMta = virtualMta,
                JobId = message.JobId,
            },
            b.Content, cancellationToken)).ToArray();
        var results = await Task.WhenAll(submissions).ConfigureAwait(false);

        var accepted = new List<RecipientMessageId>();
        string? failure = null;
        for (int i = 0; i < results.Length; i++)
        {
            if (results[i].Status != SubmissionStatus.Accepted)
            {
                failure ??= results[i].Detail;
                continue;
            }
            // A per-recipient List-Unsubscribe splits a message: then each recipient has its own id, in order.
            var ids = results[i].MessageIds;
            for (int r = 0; r < built[i].Recipients.Count; r++)
                accepted.Add(new RecipientMessageId(built[i].Recipients[r], ids.Count == built[i].Recipients.Count ? ids[r] : ids[0]));
        }
        return failure is null
            ? new SubmissionOutcome(SubmissionOutcomeStatus.Accepted) { Accepted = accepted }
            : new SubmissionOutcome(SubmissionOutcomeStatus.BrokerUnavailable) { Accepted = accepted, Detail = failure };
    }
}
