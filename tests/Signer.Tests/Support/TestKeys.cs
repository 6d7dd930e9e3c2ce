using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using Pipeline.Signer.Dkim;

namespace Pipeline.Signer.Tests.Support;

/// <summary>DKIM key files for tests, and the DNS TXT value ("v=DKIM1; k=...; p=...") of each, computed with
/// BouncyCastle rather than by the Signer's own generator.</summary>
public static class TestKeys
{
    public static string CreateRsa(string keyFile, string domain, string selector, int bits = 2048)
    {
        DkimKeyGenerator.CreateRsaKey(keyFile, domain, selector, bits);
        return keyFile;
    }

    public static string CreateEd25519(string keyFile)
    {
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        var pair = generator.GenerateKeyPair();
        using var writer = new StreamWriter(keyFile);
        new PemWriter(writer).WriteObject(new Pkcs8Generator(pair.Private));
        return keyFile;
    }

    /// <summary>The TXT record value that publishes the public half of <paramref name="keyFile"/>.</summary>
    public static string TxtValue(string keyFile) => KeyFileLocator.ReadPublicKey(keyFile) switch
    {
        Ed25519PublicKeyParameters ed => $"v=DKIM1; k=ed25519; p={Convert.ToBase64String(ed.GetEncoded())}",
        var rsa => $"v=DKIM1; k=rsa; p={Convert.ToBase64String(SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(rsa).GetEncoded())}",
    };
}
