using System.Text;
using MimeKit;
using Pipeline.Contracts;
using Pipeline.Shared.Configuration;

namespace Pipeline.Ingest.Submission;

/// <summary>Builds the RFC 5322 message of a validated <see cref="SubmitMessage"/> with MimeKit: text and/or html
/// (multipart/alternative), attachments (multipart/mixed, inline parts in multipart/related), extra headers,
/// and, for a batch, one message per recipient with its substitution variables applied.</summary>
public sealed class MessageBuilder(PipelineOptions options)
{
    private static readonly FormatOptions Wire = CreateFormat();
    private readonly string _serverName = options.Ingest.Smtp.ServerName is { Length: > 0 } n ? n : Environment.MachineName;

    /// <summary>One (envelope recipients, message) pair per message to publish.</summary>
    public IReadOnlyList<(IReadOnlyList<string> Recipients, byte[] Content)> Build(SubmitMessage m)
    {
        if (m.Raw is not null) return [(Recipients(m), m.Raw)];
        if (!SubmitMessageValidator.Batch(m)) return [(Recipients(m), Render(m, m.To!, variables: null))];
        var messages = new List<(IReadOnlyList<string>, byte[])>(m.To!.Count);
        foreach (var recipient in m.To!)
        {
            var variables = m.Variables is not null && m.Variables.TryGetValue(recipient, out var v) ? v : null;
            messages.Add(([recipient], Render(m, [recipient], new Substitution(recipient, variables))));
        }
        return messages;
    }

    private static IReadOnlyList<string> Recipients(SubmitMessage m) =>
        [.. m.To ?? [], .. m.Cc ?? [], .. m.Bcc ?? []];

    private byte[] Render(SubmitMessage m, IReadOnlyList<string> to, Substitution? variables)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(m.From!));
        message.To.AddRange(to.Select(MailboxAddress.Parse));
        if (m.Cc is { Count: > 0 }) message.Cc.AddRange(m.Cc.Select(MailboxAddress.Parse));
        message.Subject = Apply(m.Subject, variables) ?? "";
        message.Date = DateTimeOffset.UtcNow;
        message.MessageId = $"{Guid.NewGuid():N}@{_serverName}";
        foreach (var (name, value) in m.Headers ?? new Dictionary<string, string>())
            message.Headers.Add(name, value);

        var body = new BodyBuilder { TextBody = Apply(m.Text, variables), HtmlBody = Apply(m.Html, variables) };
        foreach (var a in m.Attachments ?? [])
        {
            var type = a.ContentType is { } t ? ContentType.Parse(t) : new ContentType("application", "octet-stream");
            if (a.ContentId is { Length: > 0 } cid)
            {
                var part = body.LinkedResources.Add(a.FileName ?? cid, a.Content!, type);
                part.ContentId = cid;
            }
            else
            {
                body.Attachments.Add(a.FileName!, a.Content!, type);
            }
        }
        message.Body = body.ToMessageBody();

        using var output = new MemoryStream();
        message.WriteTo(Wire, output);
        return output.ToArray();
    }

    private static string? Apply(string? template, Substitution? variables) =>
        template is null || variables is null ? template : variables.Apply(template);

    private static FormatOptions CreateFormat()
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        // UTF-8 headers stay encoded-words (RFC 2047) so any receiver reads them; no SMTPUTF8 needed downstream.
        format.International = false;
        return format;
    }

    /// <summary>"{{name}}" to the recipient's value ("" when it has none); "{{recipient}}" to the address.</summary>
    private sealed class Substitution(string recipient, IReadOnlyDictionary<string, string>? values)
    {
        public string Apply(string template)
        {
            if (!template.Contains("{{", StringComparison.Ordinal)) return template;
            var output = new StringBuilder(template.Length + 32);
            int pos = 0;
            while (pos < template.Length)
            {
                int open = template.IndexOf("{{", pos, StringComparison.Ordinal);
                int close = open < 0 ? -1 : template.IndexOf("}}", open + 2, StringComparison.Ordinal);
                if (open < 0 || close < 0)
                {
                    output.Append(template, pos, template.Length - pos);
                    break;
                }
                output.Append(template, pos, open - pos);
                var name = template.AsSpan(open + 2, close - open - 2).Trim().ToString();
                output.Append(name == "recipient" ? recipient : values is not null && values.TryGetValue(name, out var value) ? value : "");
                pos = close + 2;
            }
            return output.ToString();
        }
    }
}
