using System.Globalization;
using System.Text;
using MimeKit;
using Pipeline.Shared.Configuration;

namespace Pipeline.Signer.Dkim;

/// <summary>Adds DKIM-Signature fields (RFC 6376, RFC 8463) to a raw message. Headers and body are canonicalized and
/// hashed straight from the bytes the sender wrote, and the new fields are prepended to those same bytes: not one
/// byte of the message is re-encoded. One message gets the signatures of its author domain's keys (or of the "*"
/// keys) and of every SignAllMail key; each covers the message's own fields only, not the other new signatures.</summary>
public sealed class MessageSigner(DkimKeyStore keys, PipelineOptions? options = null, TimeProvider? time = null)
{
    private readonly bool _requireSignature = options?.Signer.RequireSignature ?? false;
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public sealed record Result(byte[] Content, string? AuthorDomain, IReadOnlyList<string> Signatures);

    /// <summary>Signs <paramref name="content"/>; throws <see cref="DkimSigningException"/> for a message that cannot be
    /// signed, and returns it unchanged when no key applies and unsigned mail is allowed.</summary>
    public Result Sign(byte[] content)
    {
        var fields = new List<RawHeaderField>(32);
        int bodyStart = RawMessage.Parse(content, fields);
        var author = AuthorDomain(content, fields);
        var set = keys.Current;
        var signers = Signers(set, author);
        if (signers.Count == 0) return new Result(content, author, []);

        var selection = HeaderSelection.Of(content, fields);
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var body = content.AsSpan(bodyStart);
        var headerFields = new byte[signers.Count][];
        var descriptions = new string[signers.Count];
        using var sink = new HashSink();
        Span<byte> hash = stackalloc byte[32];
        string? relaxedBodyHash = null, simpleBodyHash = null;
        int maxSignature = signers.Max(k => k.Key.SigningKey.MaxSignatureLength);
        Span<byte> signature = maxSignature <= 1024 ? stackalloc byte[1024] : new byte[maxSignature];
        for (int s = 0; s < signers.Count; s++)
        {
            var (key, domain) = signers[s];
            var c = key.Canonicalization;
            // One body hash per body canonicalization, shared by the signatures that use it.
            ref var bodyHash = ref c.Body == CanonicalizationAlgorithm.Relaxed ? ref relaxedBodyHash : ref simpleBodyHash;
            if (bodyHash is null)
            {
                Canonicalizer.Body(sink, body, c.Body);
                sink.Finish(hash);
                bodyHash = Convert.ToBase64String(hash);
            }

            var field = new DkimSignatureField()
                .Tag("v", "1").Tag("a", key.Algorithm).Tag("c", c.ToString()).Tag("d", domain).Tag("s", key.Selector)
                .Tag("t", timestamp).HeaderList(selection.TagValue).Tag("bh", bodyHash);
            var unsigned = Encoding.ASCII.GetBytes(field.Unsigned());

            foreach (var i in selection.FieldOrder)
            {
                var f = fields[i];
                Canonicalizer.Header(sink, f.Field(content), f.NameLength, f.ColonOffset, c.Header);
            }
            Canonicalizer.Header(sink, unsigned, DkimSignatureField.NameLength, DkimSignatureField.NameLength, c.Header, withoutLineEnd: true);
            sink.Finish(hash);

            int length = key.SigningKey.Sign(hash, signature);
            headerFields[s] = field.Complete(signature[..length]);
            descriptions[s] = $"d={domain}; s={key.Selector}; a={key.Algorithm}";
        }

        int prefix = headerFields.Sum(h => h.Length);
        var signed = new byte[prefix + content.Length];
        int at = 0;
        foreach (var h in headerFields)
        {
            h.CopyTo(signed, at);
            at += h.Length;
        }
        content.CopyTo(signed, at);
        return new Result(signed, author, descriptions);
    }

    /// <summary>The keys that sign a message from <paramref name="author"/>, each with its d= value.</summary>
    private List<(DkimKey Key, string Domain)> Signers(DkimKeySet set, string author)
    {
        var signers = new List<(DkimKey, string)>(4);
        foreach (var key in set.ForAuthor(author))
            signers.Add((key, key.IsDefault ? author : key.Domain));
        bool aligned = signers.Count > 0;
        foreach (var key in set.ForAllMail)
        {
            aligned |= string.Equals(key.Domain, author, StringComparison.OrdinalIgnoreCase);
            signers.Add((key, key.Domain));
        }
        if (!aligned && _requireSignature)
            throw new DkimSigningException(DkimFailure.NoKey,
                $"no DKIM key for author domain {author} (no Dkim entry for it and no '*' entry; Signer:RequireSignature is on)");
        return signers;
    }

    /// <summary>The domain of the From field's first mailbox, as an A-label (d= must be one, RFC 6376 3.5).</summary>
    private static string AuthorDomain(byte[] content, List<RawHeaderField> fields)
    {
        int from = -1, count = 0;
        for (int i = 0; i < fields.Count; i++)
        {
            if (!Ascii.EqualsIgnoreCase(fields[i].Name(content), "From"u8)) continue;
            from = i;
            count++;
        }
        if (count == 0) throw new DkimSigningException(DkimFailure.BadMessage, "the message has no From header field");
        // RFC 5322 3.6: exactly one From. With two, receivers cannot tell which author DMARC is about.
        if (count > 1) throw new DkimSigningException(DkimFailure.BadMessage, $"the message has {count} From header fields");
        var field = fields[from];
        int valueStart = field.Start + field.ColonOffset + 1;
        if (!InternetAddressList.TryParse(ParserOptions.Default, content, valueStart, field.Start + field.Length - valueStart, out var addresses))
            throw new DkimSigningException(DkimFailure.BadMessage,
                $"the From header field is not an address list: '{Encoding.UTF8.GetString(field.RawValue(content)).Trim()}'");
        var mailbox = addresses.Mailboxes.FirstOrDefault(m => !string.IsNullOrEmpty(m.Domain))
            ?? throw new DkimSigningException(DkimFailure.BadMessage,
                $"the From header field has no address with a domain: '{Encoding.UTF8.GetString(field.RawValue(content)).Trim()}'");
        var domain = mailbox.Domain.TrimEnd('.');
        if (domain.StartsWith('[') || Uri.CheckHostName(domain) == UriHostNameType.IPv4)
            throw new DkimSigningException(DkimFailure.BadMessage, $"the From address {mailbox.Address} has an address literal, not a domain");
        try
        {
            return new IdnMapping().GetAscii(domain).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            throw new DkimSigningException(DkimFailure.BadMessage, $"the From address domain '{domain}' is not a domain name");
        }
    }
}
