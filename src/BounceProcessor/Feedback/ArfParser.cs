using MimeKit;
using MimeKit.Utils;
using Pipeline.BounceProcessor.Reports;

namespace Pipeline.BounceProcessor.Feedback;

/// <summary>Reads feedback-loop reports: RFC 5965 multipart/report with a message/feedback-report part, and the
/// unsubscribe mails Apple sends instead (X-Apple-Unsubscribe: true).</summary>
public static class ArfParser
{
    public static bool TryParse(MimeMessage message, out FeedbackReport report)
    {
        report = null!;
        var feedbackPart = message.BodyParts.OfType<MimePart>()
            .FirstOrDefault(p => p.ContentType.IsMimeType("message", "feedback-report"));
        if (feedbackPart is null)
        {
            if (message.Headers["X-Apple-Unsubscribe"] is { } apple && apple.Trim().Equals("true", StringComparison.OrdinalIgnoreCase))
            {
                report = new FeedbackReport
                {
                    FeedbackType = "opt-out",
                    OriginalRecipients = [.. message.From.Mailboxes.Select(m => m.Address)],
                    Reporter = message.From.Mailboxes.FirstOrDefault()?.Address,
                };
                return true;
            }
            return false;
        }

        using var content = new MemoryStream();
        feedbackPart.Content?.DecodeTo(content);
        var text = System.Text.Encoding.UTF8.GetString(content.ToArray());
        var fields = DeliveryStatusFields.ParseGroups(text, joinRepeats: true)
            .Aggregate(new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase), (all, group) =>
            {
                foreach (var (k, v) in group) all.TryAdd(k, v);
                return all;
            });
        string? Field(string name) => fields.TryGetValue(name, out var v) && v.Length > 0 ? v : null;

        var original = OriginalHeaders(message);
        var recipients = (Field("Original-Rcpt-To") ?? "")
            .Split(['\n', ',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(DeliveryStatusFields.Address).Where(a => a.Contains('@')).ToList();
        if (recipients.Count == 0 && original?["To"] is { } to && InternetAddressList.TryParse(to, out var toList))
            recipients = [.. toList.Mailboxes.Select(m => m.Address).Where(a => a.Contains('@'))];

        report = new FeedbackReport
        {
            FeedbackType = (Field("Feedback-Type") ?? "other").Trim().ToLowerInvariant(),
            OriginalRecipients = recipients,
            OriginalMailFrom = Field("Original-Mail-From") is { } from ? DeliveryStatusFields.Address(from) : null,
            SourceIp = Field("Source-IP")?.Trim(),
            ArrivalDate = (Field("Arrival-Date") ?? Field("Received-Date")) is { } date && DateUtils.TryParse(date, out var parsed) ? parsed : null,
            ReportedDomain = Field("Reported-Domain")?.Trim(),
            UserAgent = Field("User-Agent"),
            ReportingMta = Field("Reporting-MTA") is { } mta ? DeliveryStatusFields.WithoutType(mta) : null,
            AuthenticationResults = Field("Authentication-Results"),
            OriginalMessageId = original?["Message-ID"]?.Trim(),
            OriginalSubject = original?["Subject"],
            OriginalFrom = original?["From"],
            OriginalHeaders = original is null ? null : string.Concat(original.Select(h => h.ToString() + "\n")),
            Reporter = message.From.Mailboxes.FirstOrDefault()?.Address,
        };
        return true;
    }

    /// <summary>The original message's headers: a message/rfc822 part, or text/rfc822-headers.</summary>
    internal static HeaderList? OriginalHeaders(MimeMessage message)
    {
        foreach (var part in message.BodyParts)
        {
            if (part is MessagePart { Message: { } inner }) return inner.Headers;
            if (part is MimePart mime && mime.ContentType.IsMimeType("text", "rfc822-headers"))
            {
                using var stream = new MemoryStream();
                mime.Content?.DecodeTo(stream);
                stream.Position = 0;
                try
                {
                    return HeaderList.Load(stream);
                }
                catch (FormatException)
                {
                    return null;
                }
            }
        }
        return null;
    }
}
