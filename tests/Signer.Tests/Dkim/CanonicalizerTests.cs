using System.Security.Cryptography;
using System.Text;
using Pipeline.Signer.Dkim;

namespace Pipeline.Signer.Tests.Dkim;

/// <summary>RFC 6376 3.4.5's example, and the edge cases of 3.4.3/3.4.4, hashed and compared with the text the RFC
/// says the canonical form is.</summary>
public sealed class CanonicalizerTests
{
    [Theory]
    [InlineData(CanonicalizationAlgorithm.Relaxed, "A: X\r\n", "a:X\r\n")]
    [InlineData(CanonicalizationAlgorithm.Relaxed, "B : Y\t\r\n\tZ  \r\n", "b:Y Z\r\n")]
    [InlineData(CanonicalizationAlgorithm.Simple, "B : Y\t\r\n\tZ  \r\n", "B : Y\t\r\n\tZ  \r\n")]
    [InlineData(CanonicalizationAlgorithm.Relaxed, "Subject:\t  \r\n", "subject:\r\n")]
    [InlineData(CanonicalizationAlgorithm.Relaxed, "X-U: Grüße  aus\r\n  Köln \r\n", "x-u:Grüße aus Köln\r\n")]
    [InlineData(CanonicalizationAlgorithm.Simple, "X-Last: no line end", "X-Last: no line end\r\n")]
    [InlineData(CanonicalizationAlgorithm.Simple, "X-Bare: lf\n folded\n", "X-Bare: lf\r\n folded\r\n")]
    public void Header_field(CanonicalizationAlgorithm algorithm, string field, string canonical)
    {
        var bytes = Encoding.UTF8.GetBytes(field);
        int colon = Array.IndexOf(bytes, (byte)':');
        int name = colon;
        while (bytes[name - 1] is (byte)' ' or (byte)'\t') name--;

        Assert.Equal(Sha256(canonical), Hash(sink => Canonicalizer.Header(sink, bytes, name, colon, algorithm)));
    }

    [Theory]
    [InlineData(CanonicalizationAlgorithm.Relaxed, " C \r\nD \t E\r\n\r\n\r\n", " C\r\nD E\r\n")]
    [InlineData(CanonicalizationAlgorithm.Simple, " C \r\nD \t E\r\n\r\n\r\n", " C \r\nD \t E\r\n")]
    [InlineData(CanonicalizationAlgorithm.Relaxed, "", "")]
    [InlineData(CanonicalizationAlgorithm.Simple, "", "\r\n")]
    [InlineData(CanonicalizationAlgorithm.Relaxed, "\r\n  \r\n\t\r\n", "")]
    [InlineData(CanonicalizationAlgorithm.Simple, "\r\n\r\n", "\r\n")]
    [InlineData(CanonicalizationAlgorithm.Simple, "  \r\n", "  \r\n")]
    [InlineData(CanonicalizationAlgorithm.Relaxed, "no final line end  ", "no final line end\r\n")]
    [InlineData(CanonicalizationAlgorithm.Simple, "no final line end  ", "no final line end  \r\n")]
    [InlineData(CanonicalizationAlgorithm.Relaxed, "\r\n\r\nx\r\n", "\r\n\r\nx\r\n")]
    [InlineData(CanonicalizationAlgorithm.Relaxed, "a\tb  c\r\n", "a b c\r\n")]
    [InlineData(CanonicalizationAlgorithm.Simple, "bare\nlf\n", "bare\r\nlf\r\n")]
    [InlineData(CanonicalizationAlgorithm.Relaxed, "Grüße  \t\r\n", "Grüße\r\n")]
    public void Body(CanonicalizationAlgorithm algorithm, string body, string canonical) =>
        Assert.Equal(Sha256(canonical), Hash(sink => Canonicalizer.Body(sink, Encoding.UTF8.GetBytes(body), algorithm)));

    [Fact]
    public void A_long_body_is_hashed_as_its_canonical_text()
    {
        var line = string.Concat(Enumerable.Repeat("word \t ", 50)) + "  \r\n";
        var body = string.Concat(Enumerable.Repeat(line, 2000)) + "\r\n\r\n";
        var canonical = string.Concat(Enumerable.Repeat(string.Concat(Enumerable.Repeat("word ", 49)) + "word\r\n", 2000));

        Assert.Equal(Sha256(canonical), Hash(sink => Canonicalizer.Body(sink, Encoding.UTF8.GetBytes(body), CanonicalizationAlgorithm.Relaxed)));
    }

    private static byte[] Hash(Action<HashSink> write)
    {
        using var sink = new HashSink();
        write(sink);
        var hash = new byte[32];
        sink.Finish(hash);
        return hash;
    }

    private static byte[] Sha256(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));
}
