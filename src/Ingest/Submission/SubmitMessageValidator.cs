using MimeKit;
using Pipeline.Contracts;
using Pipeline.Ingest.Smtp.Protocol;
using Pipeline.Shared.Configuration;

namespace Pipeline.Ingest.Submission;

/// <summary>Checks a <see cref="SubmitMessage"/> (HTTP JSON or pipeline.submit) and names every bad field the way it
/// is spelt in JSON ("to[2]", "attachments[0].content"), so the sender can fix it.</summary>
public sealed class SubmitMessageValidator(PipelineOptions options, MessageSubmitter submitter)
{
    /// <summary>Headers the API sets itself from the message's fields; giving them in "headers" is an error.</summary>
    private static readonly HashSet<string> ReservedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "From", "To", "Cc", "Bcc", "Subject", "Date", "MIME-Version", "Content-Type", "Content-Transfer-Encoding",
        "Message-ID", "X-Virtual-MTA", "X-Job", "Received",
    };

    public Dictionary<string, string[]> Validate(SubmitMessage m)
    {
        var errors = new Dictionary<string, List<string>>();
        void Error(string field, string problem)
        {
            if (!errors.TryGetValue(field, out var list)) errors[field] = list = [];
            list.Add(problem);
        }

        var to = m.To ?? [];
        if (to.Count == 0) Error("to", "at least one recipient is required");
        int total = to.Count + (m.Cc?.Count ?? 0) + (m.Bcc?.Count ?? 0);
        if (total > options.Ingest.Smtp.MaxRecipients)
            Error("to", $"{total} recipients in all; at most {options.Ingest.Smtp.MaxRecipients} per request");
        CheckAddresses("to", to);
        CheckAddresses("cc", m.Cc);
        CheckAddresses("bcc", m.Bcc);
        if (m.MailFrom is { } mailFrom && mailFrom.Length > 0 && !MailboxSyntax.IsValid(mailFrom, utf8: true))
            Error("mailFrom", $"'{mailFrom}' is not an email address");

        if (m.Raw is not null)
        {
            if (m.Raw.Length == 0) Error("raw", "is empty");
            if (m.Subject is not null || m.Text is not null || m.Html is not null || m.Attachments is not null || m.Headers is not null)
                Error("raw", "give either raw or the parts (subject, text, html, headers, attachments), not both");
            if (m.MailFrom is null && m.From is null)
                Error("mailFrom", "the envelope sender of a raw message is required (mailFrom, or from)");
            if (Batch(m)) Error("batch", "a raw message cannot be sent as a batch");
        }
        else
        {
            if (string.IsNullOrWhiteSpace(m.From)) Error("from", "is required");
            else if (!MailboxAddress.TryParse(m.From, out var from) || !MailboxSyntax.IsValid(from.Address, utf8: true))
                Error("from", $"'{m.From}' is not an address like \"Name <user@example.com>\"");
            if (m.Text is null && m.Html is null && (m.Attachments?.Count ?? 0) == 0)
                Error("text", "a message needs text, html or an attachment");
            if (Batch(m) && (m.Cc?.Count > 0 || m.Bcc?.Count > 0))
                Error("cc", "a batch sends each To recipient its own message; cc and bcc are not allowed with it");
            foreach (var (name, value) in m.Headers ?? new Dictionary<string, string>())
            {
                if (name.Length == 0 || !name.All(c => c is > ' ' and < (char)127 and not ':'))
                    Error($"headers.{name}", "is not a header name (printable ASCII without ':')");
                else if (ReservedHeaders.Contains(name))
                    Error($"headers.{name}", "is set from the message's own fields; use them instead");
                if (value.Contains('\r') || value.Contains('\n'))
                    Error($"headers.{name}", "a header value must not contain line breaks");
            }
            var attachments = m.Attachments ?? [];
            for (int i = 0; i < attachments.Count; i++)
            {
                var a = attachments[i];
                if (string.IsNullOrWhiteSpace(a.FileName) && a.ContentId is null) Error($"attachments[{i}].fileName", "is required");
                if (a.Content is null) Error($"attachments[{i}].content", "is required (base64)");
                if (a.ContentType is { } type && !ContentType.TryParse(type, out _))
                    Error($"attachments[{i}].contentType", $"'{type}' is not a MIME type like application/pdf");
            }
        }

        if (m.VirtualMta is { Length: > 0 } vmta && !submitter.IsKnownVirtualMta(vmta))
            Error("virtualMta", $"'{vmta}' is neither a VirtualMTA nor a pool");
        if (m.Pool is { Length: > 0 } pool && !options.Pools.ContainsKey(pool))
            Error("pool", $"'{pool}' is not a pool");
        if (m.VirtualMta is { Length: > 0 } && m.Pool is { Length: > 0 })
            Error("pool", "give virtualMta or pool, not both");

        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

        void CheckAddresses(string field, IReadOnlyList<string>? addresses)
        {
            if (addresses is null) return;
            for (int i = 0; i < addresses.Count; i++)
            {
                if (!MailboxSyntax.IsValid(addresses[i] ?? "", utf8: true))
                    Error($"{field}[{i}]", $"'{addresses[i]}' is not an email address (user@example.com)");
            }
        }
    }

    /// <summary>Whether each To recipient gets a message of its own.</summary>
    public static bool Batch(SubmitMessage m) => m.Batch == true || m.Variables is not null;
}
