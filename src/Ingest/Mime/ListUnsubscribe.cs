using Pipeline.Shared.Configuration;

namespace Pipeline.Ingest.Mime;

/// <summary>List-Unsubscribe (RFC 2369) and List-Unsubscribe-Post (RFC 8058 one-click) from the templates in
/// Ingest:ListUnsubscribe; "{recipient}" in a template becomes the recipient address, URL-escaped.</summary>
public sealed class ListUnsubscribe(PipelineOptions options)
{
    public const string HeaderName = "List-Unsubscribe";
    public const string PostHeaderName = "List-Unsubscribe-Post";
    private const string RecipientPlaceholder = "{recipient}";

    private readonly ListUnsubscribeOptions _options = options.Ingest.ListUnsubscribe;

    public bool Enabled => !string.IsNullOrEmpty(_options.Mailto) || !string.IsNullOrEmpty(_options.Url);

    /// <summary>True when the header differs per recipient, so a message with several must be split.</summary>
    public bool PerRecipient =>
        (_options.Mailto?.Contains(RecipientPlaceholder, StringComparison.Ordinal) ?? false) ||
        (_options.Url?.Contains(RecipientPlaceholder, StringComparison.Ordinal) ?? false);

    /// <summary>The header lines (CRLF-terminated) for <paramref name="recipient"/>.</summary>
    public string Headers(string recipient)
    {
        var escaped = Uri.EscapeDataString(recipient);
        var targets = new List<string>(2);
        if (_options.Mailto is { Length: > 0 } mailto) targets.Add($"<{mailto.Replace(RecipientPlaceholder, escaped, StringComparison.Ordinal)}>");
        if (_options.Url is { Length: > 0 } url) targets.Add($"<{url.Replace(RecipientPlaceholder, escaped, StringComparison.Ordinal)}>");
        var headers = $"{HeaderName}: {string.Join(",\r\n ", targets)}\r\n";
        if (_options.OneClick && !string.IsNullOrEmpty(_options.Url))
            headers += $"{PostHeaderName}: List-Unsubscribe=One-Click\r\n";
        return headers;
    }
}
