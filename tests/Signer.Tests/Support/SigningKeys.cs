using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Shared.Configuration;
using Pipeline.Signer.Dkim;

namespace Pipeline.Signer.Tests.Support;

/// <summary>Key files made once per test class: RSA keys of 1024, 2048 and 4096 bits and an Ed25519 key for
/// example.test (relaxed/relaxed), an RSA and an Ed25519 key signing simple/simple, an RSA key for other.test, a
/// sending-platform key for esp.test that signs all mail, and a locator that answers for all of them.</summary>
public sealed class SigningKeys : IDisposable
{
    private readonly TempDirectory _dir = new();

    public SigningKeys()
    {
        RsaS1 = Rsa("example.test", "s1");
        RsaS2 = Rsa("example.test", "s2");
        Rsa1024 = Rsa("example.test", "r1024", 1024);
        Rsa4096 = Rsa("example.test", "r4096", 4096);
        Ed25519 = Ed("example.test", "ed1");
        RsaSimple = Rsa("example.test", "simple");
        RsaSimple.Canonicalization = "simple/simple";
        Ed25519Simple = Ed("example.test", "edsimple");
        Ed25519Simple.Canonicalization = "simple/simple";
        Other = Rsa("other.test", "o1");
        Platform = Rsa("esp.test", "p1");
        Platform.SignAllMail = true;
        Locator = new KeyFileLocator();
        foreach (var key in All) Locator.Add(key.Domain, key.Selector, key.KeyFile);
    }

    public DkimKeyOptions RsaS1 { get; }
    public DkimKeyOptions RsaS2 { get; }
    public DkimKeyOptions Rsa1024 { get; }
    public DkimKeyOptions Rsa4096 { get; }
    public DkimKeyOptions Ed25519 { get; }
    public DkimKeyOptions RsaSimple { get; }
    public DkimKeyOptions Ed25519Simple { get; }
    public DkimKeyOptions Other { get; }
    public DkimKeyOptions Platform { get; }
    public KeyFileLocator Locator { get; }

    private DkimKeyOptions[] All => [RsaS1, RsaS2, Rsa1024, Rsa4096, Ed25519, RsaSimple, Ed25519Simple, Other, Platform];

    /// <summary>Every algorithm, key size and canonicalization at once, plus the platform's signature: the set each
    /// corpus message is signed with.</summary>
    public DkimKeyOptions[] EveryKind => [Rsa1024, RsaS1, Rsa4096, Ed25519, RsaSimple, Ed25519Simple, Platform];

    /// <summary>DNS name (selector._domainkey.domain) to TXT value, for a verifier outside .NET.</summary>
    public IReadOnlyDictionary<string, string> TxtRecords =>
        All.ToDictionary(k => $"{k.Selector}._domainkey.{k.Domain}", k => TestKeys.TxtValue(k.KeyFile));

    public static MessageSigner Signer(params DkimKeyOptions[] keys) =>
        new(new DkimKeyStore(new PipelineOptions { Dkim = [.. keys] }, NullLogger<DkimKeyStore>.Instance));

    public static MessageSigner Signer(PipelineOptions options) =>
        new(new DkimKeyStore(options, NullLogger<DkimKeyStore>.Instance), options);

    public void Dispose() => _dir.Dispose();

    private DkimKeyOptions Rsa(string domain, string selector, int bits = 2048) => new()
    {
        Domain = domain, Selector = selector, KeyFile = TestKeys.CreateRsa(_dir.File($"{domain}.{selector}.pem"), domain, selector, bits),
    };

    private DkimKeyOptions Ed(string domain, string selector) => new()
    {
        Domain = domain, Selector = selector, KeyFile = TestKeys.CreateEd25519(_dir.File($"{domain}.{selector}.pem")),
        Algorithm = "ed25519-sha256",
    };
}
