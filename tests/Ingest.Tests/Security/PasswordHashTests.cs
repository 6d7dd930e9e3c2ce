using Pipeline.Ingest.Security;

namespace Pipeline.Ingest.Tests.Security;

public sealed class PasswordHashTests
{
    [Fact]
    public void A_hash_verifies_its_password_only()
    {
        var hash = PasswordHash.Create("s3cret pass", iterations: 1000);

        Assert.StartsWith("pbkdf2-sha256$1000$", hash);
        Assert.True(PasswordHash.Verify("s3cret pass", hash));
        Assert.False(PasswordHash.Verify("s3cret pasS", hash));
        Assert.False(PasswordHash.Verify("", hash));
    }

    [Fact]
    public void Two_hashes_of_one_password_differ_by_their_salt()
    {
        Assert.NotEqual(PasswordHash.Create("p", 1000), PasswordHash.Create("p", 1000));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain-text")]
    [InlineData("pbkdf2-sha1$1000$AAAA$AAAA")]
    [InlineData("pbkdf2-sha256$x$AAAA$AAAA")]
    [InlineData("pbkdf2-sha256$1000$not base64!$AAAA")]
    public void A_malformed_hash_never_verifies(string hash)
    {
        Assert.False(PasswordHash.Verify("anything", hash));
    }

    [Fact]
    public void The_known_vector_of_rfc_7914_section_11_verifies()
    {
        // PBKDF2-HMAC-SHA256, P="passwd", S="salt", c=1, dkLen=64 (RFC 7914 section 11).
        const string expected = "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783";
        var hash = Convert.ToBase64String(Convert.FromHexString(expected));
        var salt = Convert.ToBase64String("salt"u8.ToArray());

        Assert.True(PasswordHash.Verify("passwd", $"pbkdf2-sha256$1${salt}${hash}"));
    }
}
