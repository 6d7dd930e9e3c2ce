using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;
using MimeKit;

namespace Pipeline.BounceProcessor.Reports;

/// <summary>The human-readable part of a bounce: the text an MTA wrote above the copy of the returned message, and
/// the recipient blocks in it ("&lt;user@example.com&gt;:\n  550 5.1.1 User unknown"). Non-standard bounces of
/// qmail, Exim, Sendmail, Exchange and the rest differ in wording but share this shape.</summary>
public static partial class ExplanationText
{
    /// <summary>Where the MTA's own text ends and the returned message begins: a dashed separator line naming the
    /// copy ("------ This is a copy of the message, including all the headers. ------"), a sentence announcing it,
    /// or the MIME header of an inline message/rfc822 part. Searched line by line with vectorised multi-string
    /// search (a regular expression over the whole text was the parser's slowest step).</summary>
    private static readonly SearchValues<string> SeparatorWords = SearchValues.Create(
        ["original message", "copy of the message", "below this line", "unsent message", "returned message", "message header",
         "headers of", "original mail", "message text", "forwarded message", "rfc822", "undelivered message", "the header of",
         "message follows", "message body"], StringComparison.OrdinalIgnoreCase);

    private static readonly SearchValues<string> AnnouncingWords = SearchValues.Create(
        ["original message follows", "this is a copy of", "below this line is a copy", "your message reads",
         "original message headers", "message headers follow", "included is a copy", "copy of the original",
         "message as received", "lines of your message", "content-type: message/rfc822", "content-type: text/rfc822-headers"],
        StringComparison.OrdinalIgnoreCase);

    private static bool IsOriginalMessageBoundary(ReadOnlySpan<char> line)
    {
        line = line.Trim();
        if (line.StartsWith("--", StringComparison.Ordinal) && line.IndexOfAny(SeparatorWords) >= 0) return true;
        return line.IndexOfAny(AnnouncingWords) >= 0;
    }

    [GeneratedRegex(@"(?<![A-Za-z0-9._%+=-])[A-Za-z0-9][A-Za-z0-9._%+=!#$&*/?^`{|}~'-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+", RegexOptions.CultureInvariant)]
    private static partial Regex Address();

    [GeneratedRegex(@"^(>>>|<<<)?\s*[245]\d\d([ -][245]\.\d{1,3}\.\d{1,3})?$")]
    private static partial Regex ReplyPrefix();

    [GeneratedRegex(@"<[^<>\s]+>")]
    private static partial Regex Tag();

    private static readonly string[] NonRecipientLocalParts =
        ["postmaster", "mailer-daemon", "mailer_daemon", "maildaemon", "daemon", "root", "no-reply", "noreply", "abuse", "bounce", "bounces", "nobody"];

    private static readonly string[] HeaderLinePrefixes =
        ["message-id:", "from:", "return-path:", "received:", "in-reply-to:", "references:", "sender:", "reply-to:",
         "x-", "date:", "subject:", "dkim-signature:", "envelope-from", "mail from:", "reporting-mta:", "arrival-date:",
         "x-original-message-id:", "original-envelope-id:", "content-", "boundary="];

    /// <summary>The text of the bounce's own parts (not the returned message), cut at the start of the copy.</summary>
    public static string Of(MimeMessage message) => Cut(Body(message));

    /// <summary>The explanation part of a body text from <see cref="Body"/>.</summary>
    public static string Cut(string text)
    {
        var start = 0;
        while (start < text.Length)
        {
            var end = text.IndexOf('\n', start);
            if (end < 0) end = text.Length;
            // A boundary in the first lines is a heading, not the end; only cut once some explanation precedes it.
            if (IsOriginalMessageBoundary(text.AsSpan(start, end - start)) && text.AsSpan(0, start).Trim().Length >= 20)
                return text[..start];
            start = end + 1;
        }
        return text;
    }

    /// <summary>All the bounce's own text, uncut. A multipart whose boundaries are missing or broken (common in
    /// forwarded and anonymised bounces) has no parts: its preamble is then the whole body.</summary>
    public static string Body(MimeMessage message)
    {
        var builder = new StringBuilder();
        Collect(message.Body, builder);
        return builder.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    private static void Collect(MimeEntity? entity, StringBuilder builder)
    {
        switch (entity)
        {
            case Multipart { Count: 0 } broken:
                // Boundaries missing or mangled (a folded boundary parameter, anonymised samples): the parser
                // leaves the whole content in the preamble.
                builder.Append(broken.Preamble).Append('\n').Append(broken.Epilogue).Append('\n');
                break;
            case Multipart multipart:
                // multipart/alternative: the plain text is enough.
                if (multipart.ContentType.IsMimeType("multipart", "alternative") &&
                    multipart.OfType<TextPart>().FirstOrDefault(t => t.IsPlain) is { } plain)
                {
                    builder.Append(SafeText(plain)).Append('\n');
                    return;
                }
                foreach (var child in multipart)
                {
                    if (child is MessagePart) continue; // the returned message
                    if (child.ContentType.IsMimeType("text", "rfc822-headers")) continue;
                    if (child.ContentType.IsMimeType("message", "delivery-status")) continue;
                    Collect(child, builder);
                }
                break;
            case TextPart text when text.IsPlain || text.IsHtml:
                builder.Append(text.IsHtml ? StripHtml(SafeText(text)) : SafeText(text)).Append('\n');
                break;
        }
    }

    public static string SafeText(TextPart part)
    {
        try
        {
            return part.Text ?? "";
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or DecoderFallbackException)
        {
            return part.GetText(Encoding.Latin1);
        }
    }

    private static string StripHtml(string html)
    {
        var text = Regex.Replace(html, @"<(br|p|div|tr|li)[^>]*>", "\n", RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1));
        text = Regex.Replace(text, "<[^>]+>", " ", RegexOptions.None, TimeSpan.FromSeconds(1));
        return System.Net.WebUtility.HtmlDecode(text);
    }

    /// <summary>The recipients the text reports on, each with the lines that explain its failure, in order.
    /// Addresses of the bounce's own sender and receiver, and role addresses (postmaster, mailer-daemon), are not
    /// recipients.</summary>
    public static List<(string Recipient, string Block)> RecipientBlocks(string text, ISet<string> exclude)
    {
        var lines = text.Split('\n');
        var found = new List<(int Line, string Address, bool Leading, bool Excluded)>();
        var weak = new List<(int Line, string Address, bool Leading, bool Excluded)>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (!line.Contains('@')) continue; // most lines name no address: skip them before any other work
            var trimmed = line.TrimStart();
            if (HeaderLinePrefixes.Any(p => trimmed.StartsWith(p, StringComparison.OrdinalIgnoreCase))) continue;
            // Message-ids in angle brackets look like addresses; a tag holding '$' or long hex is one.
            var onLine = found.Count;
            foreach (Match m in Address().Matches(line))
            {
                var address = m.Value.TrimEnd('.', '\'', '`');
                if (!IsRecipientCandidate(address)) continue;
                var before = line[..m.Index].Trim().TrimEnd('<', '"', '\'', '(', '[').Trim();
                var leading = before.Length == 0 || before.EndsWith(':') && before.Length < 40 && !before.Contains("from", StringComparison.OrdinalIgnoreCase)
                    || before.EndsWith("RCPT TO:", StringComparison.OrdinalIgnoreCase) || before.EndsWith("RCPT TO", StringComparison.OrdinalIgnoreCase)
                    || ReplyPrefix().IsMatch(before);
                // "To: someone" quotes the original message's header: a recipient only if nothing better is named.
                var quoted = trimmed.StartsWith("to:", StringComparison.OrdinalIgnoreCase) || trimmed.StartsWith("cc:", StringComparison.OrdinalIgnoreCase);
                // "Name <addr>: reason": the bracketed address before the colon is the one the line is about.
                var end = m.Index + m.Length;
                if (!quoted && m.Index > 0 && line[m.Index - 1] == '<' && end + 1 < line.Length && line[end] == '>' && line[end + 1] == ':')
                {
                    for (var k = onLine; k < found.Count; k++) found[k] = found[k] with { Leading = false };
                    leading = true;
                }
                (quoted ? weak : found).Add((i, address, leading, exclude.Contains(address)));
            }
        }
        if (found.Count == 0) found = weak;
        if (found.Count == 0) return [];
        // Recipients stand at the start of a line (or after "RCPT TO:" or a reply code); the bounce's own sender and
        // receiver are mentioned too, but are the recipient only when nothing else is (a bounce to oneself).
        var chosen = found.Where(f => f.Leading && !f.Excluded).ToList();
        if (chosen.Count == 0) chosen = found.Where(f => f.Leading).ToList();
        if (chosen.Count == 0) chosen = found.Where(f => !f.Excluded).ToList();
        var distinct = new List<(int Line, string Address)>();
        foreach (var f in chosen)
            if (!distinct.Any(d => d.Address.Equals(f.Address, StringComparison.OrdinalIgnoreCase))) distinct.Add((f.Line, f.Address));

        var blocks = new List<(string, string)>();
        for (var k = 0; k < distinct.Count; k++)
        {
            var start = distinct[k].Line;
            var end = k + 1 < distinct.Count && distinct[k + 1].Line > start ? distinct[k + 1].Line : Math.Min(lines.Length, start + 12);
            var block = new StringBuilder();
            var blanks = 0;
            for (var i = start; i < end; i++)
            {
                if (lines[i].Trim().Length == 0)
                {
                    if (++blanks >= 2 && i > start + 1) break;
                    continue;
                }
                blanks = 0;
                block.Append(lines[i].Trim()).Append('\n');
            }
            blocks.Add((distinct[k].Address, block.ToString()));
        }
        return blocks;
    }

    private static bool IsRecipientCandidate(string address)
    {
        var at = address.IndexOf('@');
        var local = address[..at];
        if (NonRecipientLocalParts.Any(p => local.Equals(p, StringComparison.OrdinalIgnoreCase))) return false;
        var domain = address[(at + 1)..];
        // Message-ID right-hand sides and dotted IPs are not mail domains.
        if (domain.All(c => char.IsAsciiDigit(c) || c == '.')) return false;
        // Queue ids and Message-ID left-hand sides (200904290210.00000000000000@host) are long digit runs.
        if (local.Count(char.IsAsciiDigit) >= 12 && local.Count(char.IsAsciiLetter) == 0 && local.Contains('.')) return false;
        if (local.Length == 36 && local.Count(c => c == '-') == 4 && local.All(c => char.IsAsciiHexDigit(c) || c == '-')) return false; // a UUID
        return !local.Contains('$');
    }

    /// <summary>A block's text without the recipient's address, to see whether it says anything.</summary>
    public static bool SaysSomething(string block, string recipient) =>
        Tag().Replace(block.Replace(recipient, "", StringComparison.OrdinalIgnoreCase), "").Count(char.IsLetter) >= 8;
}
