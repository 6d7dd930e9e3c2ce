using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Shared.Configuration;
using Pipeline.Signer.Dkim;

namespace Pipeline.Signer.Tests.Support;

/// <summary>Key files made once per test class: two RSA keys and an Ed25519 key for example.test, an RSA key for
/// other.test, and a locator that answers for all of them.</summary>
public sealed class SigningKeys : IDisposable
{
    private readonly TempDirectory _dir = new();

    public SigningKeys()
    {
        RsaS1 = new() { Domain = "example.test", Selector = "s1", KeyFile = TestKeys.CreateRsa(_dir.File("example.test.s1.pem"), "example.test", "s1") };
        RsaS2 = new() { Domain = "example.test", Selector = "s2", KeyFile = TestKeys.CreateRsa(_dir.File("example.test.s2.pem"), "example.test", "s2") };
        Ed25519 = new()
        {
            Domain = "example.test", Selector = "ed1", KeyFile = TestKeys.CreateEd25519(_dir.File("example.test.ed1.pem")),
            Algorithm = "ed25519-sha256",
        };
        Other = new() { Domain = "other.test", Selector = "o1", KeyFile = TestKeys.CreateRsa(_dir.File("other.test.o1.pem"), "other.test", "o1") };
        Locator = new KeyFileLocator();
        foreach (var key in new[] { RsaS1, RsaS2, Ed25519, Other }) Locator.Add(key.Domain, key.Selector, key.KeyFile);
    }

    public DkimKeyOptions RsaS1 { get; }
    public DkimKeyOptions RsaS2 { get; }
    public DkimKeyOptions Ed25519 { get; }
    public DkimKeyOptions Other { get; }
    public KeyFileLocator Locator { get; }

    /// <summary>DNS name (selector._domainkey.domain) to TXT value, for a verifier outside .NET.</summary>
    public IReadOnlyDictionary<string, string> TxtRecords =>
        new[] { RsaS1, RsaS2, Ed25519, Other }.ToDictionary(k => $"{k.Selector}._domainkey.{k.Domain}", k => TestKeys.TxtValue(k.KeyFile));

    public static MessageSigner Signer(params DkimKeyOptions[] keys) =>
        new(new DkimKeyStore(new PipelineOptions { Dkim = [.. keys] }, NullLogger<DkimKeyStore>.Instance));

    public void Dispose() => _dir.Dispose();
}
