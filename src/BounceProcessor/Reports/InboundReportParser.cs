using System.Text.Json;
using MimeKit;
using Pipeline.BounceProcessor.Classification;
using Pipeline.BounceProcessor.Feedback;

namespace Pipeline.BounceProcessor.Reports;

/// <summary>Turns a message that came back to the return path or the feedback address into recipient records:
/// RFC 3464 DSNs, the non-standard text bounces of the common MTAs, Amazon SES notifications, RFC 3834
/// auto-replies and ARF feedback reports. Each bounce record is classified by the same rules as SMTP replies.</summary>
public sealed partial class InboundReportParser(ReplyClassifier classifier)
{
    /// <summary>The "550-5.7.1 " / "550 5.7.1 " prefixes of the second and later lines of a multi-line reply, which
    /// split the server's sentence when the lines are joined.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"\b[245]\d\d[ -][245]\.\d{1,3}\.\d{1,3}\b")]
    private static partial System.Text.RegularExpressions.Regex CodeAndStatus();

    private static string WithoutContinuationPrefixes(string diagnostic)
    {
        string? first = null;
        return CodeAndStatus().Replace(diagnostic, m =>
        {
            var key = m.Value.Replace('-', ' ');
            if (first is null)
            {
                first = key;
                return m.Value;
            }
            // The same code and status again: a continuation line's prefix, not the server's words.
            return key == first ? "" : m.Value;
        });
    }

    private static readonly ParserOptions Options = new() { CharsetEncoding = System.Text.Encoding.Latin1 };

    private static readonly string[] BounceSubjectWords =
        ["undeliver", "returned mail", "delivery status", "failure", "failed", "delivery notification", "non-delivery",
         "nondeliverable", "not delivered", "delivery problem", "mail delivery", "could not be delivered", "rejected",
         "error", "bounce", "warning", "delayed", "unzustellbar", "returned", "no se puede entregar"];

    public InboundReport Parse(byte[] raw)
    {
        using var stream = new MemoryStream(raw, writable: false);
        // persistent: parts refer to ranges of the byte array instead of copying their content.
        return Parse(MimeMessage.Load(Options, stream, persistent: true));
    }

    public InboundReport Parse(MimeMessage message)
    {
        var original = ArfParser.OriginalHeaders(message);
        var body = ExplanationText.Body(message);
        var explanation = ExplanationText.Cut(body);
        var reportingMta = message.From.Mailboxes.FirstOrDefault()?.Address;
        var records = new List<RecipientReport>();
        FeedbackReport? feedback = null;

        if (ArfParser.TryParse(message, out var arf))
        {
            feedback = arf;
            var recipients = arf.OriginalRecipients.Count > 0 ? arf.OriginalRecipients : [""];
            records.AddRange(recipients.Select(r => new RecipientReport
            {
                Recipient = r,
                Kind = ReportKind.Feedback,
                Diagnostic = arf.FeedbackType,
                RemoteMta = arf.ReportingMta ?? arf.Reporter,
            }));
        }
        else if (DeliveryStatus(message) is { } dsnText)
        {
            var groups = DeliveryStatusFields.ParseGroups(dsnText);
            var perMessage = groups.FirstOrDefault(g => !DeliveryStatusFields.IsRecipientGroup(g));
            if (perMessage?.GetValueOrDefault("Reporting-MTA") is { } mta) reportingMta = DeliveryStatusFields.WithoutType(mta);
            records.AddRange(FromGroups(groups, explanation, message));
        }
        if (feedback is null && records.Count == 0 && AmazonSes(body) is { Count: > 0 } ses) records.AddRange(ses);
        if (feedback is null && records.Count == 0 && IsAutoReply(message))
        {
            records.Add(new RecipientReport
            {
                Recipient = message.From.Mailboxes.FirstOrDefault()?.Address ?? "",
                Kind = ReportKind.AutoReply,
            });
        }
        if (feedback is null && records.Count == 0)
        {
            // Some MTAs paste DSN fields into the text part instead of a message/delivery-status part.
            var groups = DeliveryStatusFields.ParseGroups(body);
            if (groups.Any(DeliveryStatusFields.IsRecipientGroup)) records.AddRange(FromGroups(groups, explanation, message));
        }
        if (feedback is null && records.Count == 0) records.AddRange(FromText(explanation, message));
        if (feedback is null && records.Count == 0 && FallbackRecipients(message, original) is { Count: > 0 } fallback)
            records.AddRange(fallback.Select(r => Classified(r, null, "", explanation, null, explanation)));

        return new InboundReport
        {
            Recipients = records,
            Feedback = feedback,
            OriginalMessageId = original?["Message-ID"]?.Trim() ?? feedback?.OriginalMessageId,
            OriginalReturnPath = original?["Return-Path"]?.Trim().Trim('<', '>'),
            OriginalJobId = original?["X-Job"]?.Trim(),
            ReportingMta = reportingMta,
        };
    }

    private static string? DeliveryStatus(MimeMessage message)
    {
        var part = message.BodyParts.OfType<MimePart>().FirstOrDefault(p =>
            p.ContentType.IsMimeType("message", "delivery-status") || p.ContentType.IsMimeType("message", "global-delivery-status"));
        if (part?.Content is null) return null;
        using var stream = new MemoryStream();
        part.Content.DecodeTo(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private IEnumerable<RecipientReport> FromGroups(List<Dictionary<string, string>> groups, string explanation, MimeMessage message)
    {
        var perMessage = groups.FirstOrDefault(g => !DeliveryStatusFields.IsRecipientGroup(g));
        var textBlocks = ExplanationText.RecipientBlocks(explanation, Excluded(message));
        foreach (var group in groups.Where(DeliveryStatusFields.IsRecipientGroup))
        {
            var recipient = DeliveryStatusFields.Address(group.GetValueOrDefault("Final-Recipient") ?? group["Original-Recipient"]);
            if (!recipient.Contains('@') && group.GetValueOrDefault("Original-Recipient") is { } originalRecipient)
                recipient = DeliveryStatusFields.Address(originalRecipient);
            var action = group.GetValueOrDefault("Action")?.Trim().ToLowerInvariant();
            var status = group.GetValueOrDefault("Status")?.Trim() ?? "";
            var space = status.IndexOf(' ');
            if (space > 0) status = status[..space];
            var diagnostic = DeliveryStatusFields.WithoutType(group.GetValueOrDefault("Diagnostic-Code") ?? "");
            var remoteMta = group.GetValueOrDefault("Remote-MTA") is { } remote ? DeliveryStatusFields.WithoutType(remote)
                : perMessage?.GetValueOrDefault("Reporting-MTA") is { } reporting ? DeliveryStatusFields.WithoutType(reporting) : null;

            if (action is "delivered" or "relayed" or "expanded" or "deliverable")
            {
                yield return new RecipientReport
                {
                    Recipient = recipient, Kind = ReportKind.Delivered, Action = action, Status = status,
                    ReplyCode = SmtpReplyFields.FindReplyCode(diagnostic), Diagnostic = diagnostic, RemoteMta = remoteMta,
                };
                continue;
            }
            // A DSN whose Diagnostic-Code is empty or generic: the text part says what happened.
            var block = textBlocks.FirstOrDefault(b => b.Recipient.Equals(recipient, StringComparison.OrdinalIgnoreCase)).Block;
            if (diagnostic.Count(char.IsLetter) < 8) diagnostic = block is { Length: > 0 } && ExplanationText.SaysSomething(block, recipient) ? block : explanation;
            yield return Classified(recipient, action, status, diagnostic, remoteMta, fallbackText: explanation);
        }
    }

    /// <summary>When the text names no recipient: Exim's X-Failed-Recipients header, else the returned message's To.</summary>
    private static List<string> FallbackRecipients(MimeMessage message, HeaderList? original)
    {
        var header = message.Headers["X-Failed-Recipients"] ?? original?["To"];
        if (header is null || !InternetAddressList.TryParse(header, out var list)) return [];
        return [.. list.Mailboxes.Select(m => m.Address).Where(a => a.Contains('@'))];
    }

    private IEnumerable<RecipientReport> FromText(string explanation, MimeMessage message)
    {
        if (message.Headers["X-Failed-Recipients"] is { } failed && InternetAddressList.TryParse(failed, out var failedList))
        {
            // Exim names the failed recipients in a header: trust it over addresses found in prose.
            var blocks = ExplanationText.RecipientBlocks(explanation, new HashSet<string>(StringComparer.OrdinalIgnoreCase));
            foreach (var recipient in failedList.Mailboxes.Select(m => m.Address).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                var block = blocks.FirstOrDefault(b => b.Recipient.Equals(recipient, StringComparison.OrdinalIgnoreCase)).Block;
                yield return Classified(recipient, null, "", block is not null && ExplanationText.SaysSomething(block, recipient) ? block : explanation, null, explanation);
            }
            yield break;
        }
        foreach (var (recipient, block) in ExplanationText.RecipientBlocks(explanation, Excluded(message)))
        {
            var diagnostic = ExplanationText.SaysSomething(block, recipient) ? block : explanation;
            yield return Classified(recipient, null, "", diagnostic, null, fallbackText: explanation);
        }
    }

    private RecipientReport Classified(string recipient, string? action, string status, string diagnostic, string? remoteMta, string fallbackText)
    {
        diagnostic = WithoutContinuationPrefixes(diagnostic);
        var classified = diagnostic;
        // Which SMTP command the refusal answered matters ("User unknown" at RCPT TO is a bad mailbox, after DATA a
        // filter): DSN fields leave it out, the text around often says it.
        if (Command(diagnostic) is null && Command(fallbackText) is { } command)
            classified = $"{diagnostic} (in reply to {command} command)";
        var code = SmtpReplyFields.FindReplyCode(diagnostic);
        var finalStatus = BestStatus(status, diagnostic);
        // The recipient's lines carry no status but the explanation does (Gmail's "The error that the other server
        // returned was: 550 5.1.1 ..." paragraph): use it.
        if (finalStatus.Length == 0 && BestStatus("", fallbackText) is { Length: > 0 } explained && !IsGeneric(explained)) finalStatus = explained;
        var result = classifier.Classify(code, IsGeneric(finalStatus) ? null : finalStatus, classified);
        // The recipient's own lines said nothing a rule knows: the whole explanation may (expiry notices, Exim's
        // retry texts above the address).
        if (result.RuleId is null || result.RuleId.StartsWith("code-", StringComparison.Ordinal) || result.RuleId.StartsWith("subject-", StringComparison.Ordinal))
        {
            var widerStatus = finalStatus.Length > 0 ? finalStatus : BestStatus("", fallbackText);
            var wider = classifier.Classify(code, widerStatus.Length > 0 ? widerStatus : null, fallbackText);
            if (wider.RuleId is not null && !wider.RuleId.StartsWith("code-", StringComparison.Ordinal) && !wider.RuleId.StartsWith("subject-", StringComparison.Ordinal))
            {
                result = wider;
                if (finalStatus.Length == 0) finalStatus = widerStatus;
            }
        }
        if (result.RuleId is null && finalStatus.Length > 0)
            result = classifier.Classify(code, finalStatus, classified);
        // A delay notice that says nothing more specific is about a message still waiting: it is expiring.
        if (action == "delayed" && (result.RuleId is null || result.RuleId.StartsWith("code-", StringComparison.Ordinal) || result.RuleId.StartsWith("subject-", StringComparison.Ordinal)))
            result = result with { Category = BounceCategory.MessageExpired };
        var transient = finalStatus.StartsWith('4') || action == "delayed";
        return new RecipientReport
        {
            Recipient = recipient,
            Kind = ReportKind.Bounce,
            Action = action ?? "failed",
            Status = finalStatus,
            ReplyCode = result.SmtpCode,
            Diagnostic = OneLine(diagnostic),
            RemoteMta = remoteMta,
            Category = result.Category,
            IsHard = result.IsHard && !transient,
            RuleId = result.RuleId,
            IsBackoff = result.IsBackoff,
        };
    }

    /// <summary>The most specific status: the remote server's own code in the diagnostic (the last one, as relays
    /// append what the final server said) unless it is a generic x.0.0, then the report's Status field.</summary>
    private static string BestStatus(string reported, string diagnostic)
    {
        var fromText = "";
        var span = diagnostic.AsSpan();
        while (true)
        {
            var found = SmtpReplyFields.FindEnhancedStatus(span);
            if (found.Length == 0) break;
            if (!IsGeneric(found) || fromText.Length == 0) fromText = found;
            var at = span.IndexOf(found, StringComparison.Ordinal);
            span = span[(at + found.Length)..];
        }
        if (fromText.Length > 0 && (!IsGeneric(fromText) || reported.Length == 0 || IsGeneric(reported))) return fromText;
        return reported.Length > 0 ? reported : fromText;
    }

    private static string? Command(string text)
    {
        foreach (var (marker, command) in CommandMarkers)
            if (text.Contains(marker, StringComparison.OrdinalIgnoreCase)) return command;
        return null;
    }

    private static readonly (string Marker, string Command)[] CommandMarkers =
    [
        ("in reply to RCPT TO", "RCPT TO"), ("after RCPT TO", "RCPT TO"), (">>> RCPT TO", "RCPT TO"), ("[RCPT_TO]", "RCPT TO"),
        ("in reply to end of DATA", "end of DATA"), ("after end of data", "end of DATA"), (">>> DATA", "end of DATA"), ("[DATA]", "end of DATA"),
        ("in reply to MAIL FROM", "MAIL FROM"), ("after MAIL FROM", "MAIL FROM"), (">>> MAIL FROM", "MAIL FROM"), ("[MAIL_FROM]", "MAIL FROM"),
    ];

    private static bool IsGeneric(string status) => status.Length == 0 || status.EndsWith(".0.0", StringComparison.Ordinal);

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static HashSet<string> Excluded(MimeMessage message)
    {
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var m in message.From.Mailboxes.Concat(message.To.Mailboxes).Concat(message.Sender is { } s ? [s] : []))
            set.Add(m.Address);
        return set;
    }

    private static bool IsAutoReply(MimeMessage message)
    {
        var subject = message.Subject ?? "";
        if (BounceSubjectWords.Any(w => subject.Contains(w, StringComparison.OrdinalIgnoreCase))) return false;
        var from = message.From.Mailboxes.FirstOrDefault()?.LocalPart ?? "";
        if (from.Contains("mailer-daemon", StringComparison.OrdinalIgnoreCase) || from.Contains("postmaster", StringComparison.OrdinalIgnoreCase)) return false;
        var autoSubmitted = message.Headers["Auto-Submitted"] ?? "";
        return autoSubmitted.Contains("auto-replied", StringComparison.OrdinalIgnoreCase)
            || message.Headers.Contains("X-Autoreply") || message.Headers.Contains("X-Autorespond")
            || message.Headers["X-Auto-Response-Suppress"] is not null && subject.Contains(':')
            || (message.Headers["Precedence"] ?? "").Contains("auto_reply", StringComparison.OrdinalIgnoreCase)
            || subject.StartsWith("Auto:", StringComparison.OrdinalIgnoreCase)
            || subject.Contains("automatic reply", StringComparison.OrdinalIgnoreCase)
            || subject.Contains("out of office", StringComparison.OrdinalIgnoreCase)
            || subject.Contains("autoreply", StringComparison.OrdinalIgnoreCase)
            || subject.Contains("vacation", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Amazon SES bounce/delivery notifications: a JSON document in the text part.</summary>
    private List<RecipientReport>? AmazonSes(string explanation)
    {
        if (!explanation.Contains("notificationType", StringComparison.Ordinal)) return null;
        var start = explanation.IndexOf('{');
        if (start < 0) return null;
        var end = explanation.LastIndexOf('}');
        if (end <= start) return null;
        try
        {
            // Long JSON lines come back wrapped by the mail system ("...!" CRLF SP "..."): unwrap first.
            var json = System.Text.RegularExpressions.Regex.Replace(explanation[start..(end + 1)], @"!?\r?\n ?", "",
                System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
            using var outer = JsonDocument.Parse(json);
            // An SNS notification wraps the SES document as a JSON string in "Message".
            using var document = outer.RootElement.TryGetProperty("Message", out var wrapped) && wrapped.ValueKind == JsonValueKind.String
                ? JsonDocument.Parse(wrapped.GetString()!) : JsonDocument.Parse(json);
            var root = document.RootElement;
            var type = root.GetProperty("notificationType").GetString();
            var records = new List<RecipientReport>();
            if (type == "Delivery" && root.TryGetProperty("delivery", out var delivery))
            {
                var response = delivery.TryGetProperty("smtpResponse", out var r) ? r.GetString() ?? "" : "";
                foreach (var recipient in delivery.GetProperty("recipients").EnumerateArray())
                    records.Add(new RecipientReport
                    {
                        Recipient = recipient.GetString() ?? "", Kind = ReportKind.Delivered, Action = "delivered",
                        Status = SmtpReplyFields.FindEnhancedStatus(response), ReplyCode = SmtpReplyFields.FindReplyCode(response),
                        Diagnostic = response,
                        RemoteMta = delivery.TryGetProperty("reportingMTA", out var m) ? m.GetString() : null,
                    });
            }
            else if (type == "Bounce" && root.TryGetProperty("bounce", out var bounce))
            {
                foreach (var recipient in bounce.GetProperty("bouncedRecipients").EnumerateArray())
                {
                    var address = recipient.GetProperty("emailAddress").GetString() ?? "";
                    var status = recipient.TryGetProperty("status", out var s) ? s.GetString() ?? "" : "";
                    var diagnostic = recipient.TryGetProperty("diagnosticCode", out var d) ? DeliveryStatusFields.WithoutType(d.GetString() ?? "") : "";
                    if (diagnostic.Length == 0 && bounce.TryGetProperty("bounceSubType", out var sub)) diagnostic = sub.GetString() ?? "";
                    records.Add(Classified(address, recipient.TryGetProperty("action", out var a) ? a.GetString() : null, status, diagnostic,
                        bounce.TryGetProperty("reportingMTA", out var m) ? DeliveryStatusFields.WithoutType(m.GetString() ?? "") : null, diagnostic));
                }
            }
            else if (type == "Complaint" && root.TryGetProperty("complaint", out var complaint))
            {
                foreach (var recipient in complaint.GetProperty("complainedRecipients").EnumerateArray())
                    records.Add(new RecipientReport
                    {
                        Recipient = recipient.GetProperty("emailAddress").GetString() ?? "", Kind = ReportKind.Feedback,
                        Diagnostic = complaint.TryGetProperty("complaintFeedbackType", out var f) ? f.GetString() ?? "abuse" : "abuse",
                    });
            }
            return records;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}
