using System.Text;
using MimeKit;
using MimeKit.Cryptography;

namespace Pipeline.Signer.Tests.Support;

/// <summary>Verifies every DKIM-Signature of a raw message with MimeKit's verifier.</summary>
public static class DkimCheck
{
    public static IReadOnlyList<bool> VerifyAll(byte[] content, IDkimPublicKeyLocator locator)
    {
        using var stream = new MemoryStream(content, writable: false);
        var message = MimeMessage.Load(stream);
        var verifier = new DkimVerifier(locator);
        return message.Headers.Where(h => h.Id == HeaderId.DkimSignature).Select(h => verifier.Verify(message, h)).ToList();
    }

    /// <summary>The tags of a DKIM-Signature value, unfolded ("d" → "example.test").</summary>
    public static IReadOnlyDictionary<string, string> Tags(string headerValue) =>
        headerValue.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(tag => tag.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => new string(kv[1].Where(c => !char.IsWhiteSpace(c)).ToArray()));

    /// <summary>Returns a copy of <paramref name="content"/> with the first occurrence of <paramref name="from"/> replaced.</summary>
    public static byte[] Replace(byte[] content, string from, string to)
    {
        var index = content.AsSpan().IndexOf(Encoding.UTF8.GetBytes(from));
        if (index < 0) throw new ArgumentException($"'{from}' is not in the message", nameof(from));
        return [.. content.AsSpan(0, index), .. Encoding.UTF8.GetBytes(to), .. content.AsSpan(index + Encoding.UTF8.GetByteCount(from))];
    }
}
