using System.Text;
using MimeKit;
using MimeKit.Cryptography;

namespace Pipeline.Signer.Dkim;

/// <summary>Adds DKIM-Signature headers to a raw message. The signature is computed by MimeKit over the parsed
/// message, and only the new header lines are prepended to the original bytes, so not one byte of what the
/// sender wrote is re-encoded.</summary>
public sealed class MessageSigner(DkimKeyStore keys)
{
    /// <summary>Headers signed when present: RFC 6376 5.4.1's list plus the ones mailbox providers look at.</summary>
    private static readonly HeaderId[] SignedHeaders =
    [
        HeaderId.From, HeaderId.To, HeaderId.Cc, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId,
        HeaderId.ReplyTo, HeaderId.InReplyTo, HeaderId.References, HeaderId.MimeVersion, HeaderId.ContentType,
        HeaderId.ContentTransferEncoding, HeaderId.ListUnsubscribe, HeaderId.ListId,
    ];

    private static readonly FormatOptions Format = CreateFormat();

    public sealed record Result(byte[] Content, string? AuthorDomain, IReadOnlyList<string> Signatures);

    public Result Sign(byte[] content)
    {
        using var stream = new MemoryStream(content, writable: false);
        var message = MimeMessage.Load(stream);
        var author = message.From.Mailboxes.FirstOrDefault()?.Domain;
        var signers = author is null ? [] : keys.For(author);
        if (signers.Count == 0) return new Result(content, author, []);

        // MimeKit files the top-level Content-* fields under the body entity, not under message.Headers.
        var present = SignedHeaders.Where(id => message.Headers.Contains(id) || message.Body?.Headers.Contains(id) == true).ToArray();
        var prefix = new StringBuilder();
        var signatures = new List<string>(signers.Count);
        foreach (var signer in signers)
        {
            signer.Sign(Format, message, present);
            // Sign() inserted the new header first; take it out again so the next signature does not cover it.
            var header = message.Headers[0];
            message.Headers.RemoveAt(0);
            // MimeKit folds the new field with bare LF whatever the FormatOptions say; on the wire every line ends in CRLF.
            prefix.Append(header.Field).Append(':').Append(Encoding.ASCII.GetString(header.RawValue).ReplaceLineEndings("\r\n"));
            signatures.Add($"d={signer.Domain}; s={signer.Selector}; a={(signer.SignatureAlgorithm == DkimSignatureAlgorithm.Ed25519Sha256 ? "ed25519-sha256" : "rsa-sha256")}");
        }
        var header0 = Encoding.ASCII.GetBytes(prefix.ToString());
        var signed = new byte[header0.Length + content.Length];
        header0.CopyTo(signed, 0);
        content.CopyTo(signed, header0.Length);
        return new Result(signed, author, signatures);
    }

    private static FormatOptions CreateFormat()
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        return format;
    }
}
