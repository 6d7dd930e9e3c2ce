using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.BounceProcessor.Feedback;

/// <summary>Writes a feedback-loop complaint as an XARF v4 report (category messaging, type spam, evidence source
/// user_complaint), the JSON abuse-report format abuse desks exchange; it validates against
/// schemas/v4/types/messaging-spam.json of the xarf-spec project.</summary>
public static class XarfReport
{
    public const string Version = "4.0.0";

    /// <summary>ARF carries no port; XARF requires source_port for SMTP, and a complaint is about mail submitted to
    /// the receiver's SMTP service, so the well-known SMTP port is the honest value.</summary>
    private const int SmtpPort = 25;

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = false };

    /// <param name="report">The parsed ARF report.</param>
    /// <param name="reportId">Unique id of the XARF report (a UUID).</param>
    /// <param name="receivedAt">When the report arrived, used when it names no Arrival-Date.</param>
    /// <param name="fallbackSender">An address of ours, for smtp_from when the report names no envelope sender.</param>
    public static string Create(FeedbackReport report, Guid reportId, DateTimeOffset receivedAt, string fallbackSender)
    {
        var reporterAddress = ValidAddress(report.Reporter) ?? $"abuse@{Domain(report.ReportedDomain) ?? "invalid.example"}";
        var reporterDomain = reporterAddress[(reporterAddress.IndexOf('@') + 1)..];
        var contact = new JsonObject
        {
            ["org"] = Truncate(report.UserAgent is { Length: > 0 } agent ? $"{reporterDomain} ({agent})" : reporterDomain, 200),
            ["contact"] = reporterAddress,
            ["domain"] = reporterDomain,
        };
        var smtpFrom = ValidAddress(report.OriginalMailFrom) ?? ValidAddress(MailboxIn(report.OriginalFrom)) ?? fallbackSender;
        var document = new JsonObject
        {
            ["xarf_version"] = Version,
            ["report_id"] = reportId.ToString("D"),
            ["timestamp"] = (report.ArrivalDate ?? receivedAt).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["reporter"] = contact,
            ["sender"] = contact.DeepClone(),
            ["source_identifier"] = report.SourceIp ?? Domain(report.ReportedDomain) ?? smtpFrom[(smtpFrom.IndexOf('@') + 1)..],
            ["source_port"] = SmtpPort,
            ["category"] = "messaging",
            ["type"] = "spam",
            ["evidence_source"] = "user_complaint",
            ["protocol"] = "smtp",
            ["smtp_from"] = smtpFrom,
        };
        if (report.OriginalRecipients.Select(ValidAddress).FirstOrDefault(a => a is not null) is { } to) document["smtp_to"] = to;
        if (report.OriginalSubject is { Length: > 0 } subject) document["subject"] = Truncate(subject.Trim(), 500);
        if (report.OriginalMessageId is { Length: > 0 } messageId) document["message_id"] = Truncate(messageId, 200);
        if (report.OriginalRecipients.Count > 0) document["recipient_count"] = report.OriginalRecipients.Count;
        document["tags"] = new JsonArray(JsonValue.Create($"feedback:{Tag(report.FeedbackType)}"));
        if (report.OriginalHeaders is { Length: > 0 } headers)
        {
            var bytes = Encoding.UTF8.GetBytes(headers);
            document["evidence"] = new JsonArray(new JsonObject
            {
                ["content_type"] = "text/rfc822-headers",
                ["description"] = "Header section of the reported message, as returned in the feedback report",
                ["payload"] = Convert.ToBase64String(bytes),
                ["hash"] = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes)),
                ["size"] = bytes.Length,
            });
        }
        return document.ToJsonString(Options);
    }

    private static string Tag(string feedbackType)
    {
        var tag = new string([.. feedbackType.ToLowerInvariant().Where(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '+')]);
        return tag.Length > 0 && char.IsAsciiLetterOrDigit(tag[0]) ? tag : "other";
    }

    private static string? MailboxIn(string? header) =>
        header is not null && MimeKit.InternetAddressList.TryParse(header, out var list) ? list.Mailboxes.FirstOrDefault()?.Address : null;

    private static string? ValidAddress(string? address)
    {
        address = address?.Trim().Trim('<', '>').Trim();
        if (string.IsNullOrEmpty(address)) return null;
        var at = address.LastIndexOf('@');
        return at > 0 && at < address.Length - 1 && !address.Any(char.IsWhiteSpace) && Domain(address[(at + 1)..]) is not null ? address : null;
    }

    private static string? Domain(string? domain)
    {
        domain = domain?.Trim().TrimEnd('.');
        if (string.IsNullOrEmpty(domain) || !domain.Contains('.')) return null;
        return Uri.CheckHostName(domain) == UriHostNameType.Dns ? domain.ToLowerInvariant() : null;
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}
