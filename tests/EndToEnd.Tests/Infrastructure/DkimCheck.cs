using System.Security.Cryptography;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;

namespace Pipeline.EndToEnd.Tests.Infrastructure;

/// <summary>Verifies the DKIM signatures of a received message with MimeKit's verifier, the public key coming
/// from the key file the test configured instead of DNS.</summary>
public static class DkimCheck
{
    public static async Task<(bool Valid, string Selector, string Domain)> VerifyAsync(byte[] message, byte[] publicKeyDer)
    {
        var mime = await MimeMessage.LoadAsync(new MemoryStream(message));
        var index = mime.Headers.IndexOf(HeaderId.DkimSignature);
        if (index < 0) return (false, "", "");
        var header = mime.Headers[index];
        var verifier = new DkimVerifier(new FileKeyLocator(PublicKeyFactory.CreateKey(publicKeyDer)));
        var valid = await verifier.VerifyAsync(mime, header);
        var tags = header.Value.Split(';').Select(t => t.Trim().Split('=', 2)).Where(t => t.Length == 2)
            .ToDictionary(t => t[0].Trim(), t => t[1].Trim());
        return (valid, tags.GetValueOrDefault("s", ""), tags.GetValueOrDefault("d", ""));
    }

    public static byte[] PublicKeyOfPem(string keyFile)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(keyFile));
        return rsa.ExportSubjectPublicKeyInfo();
    }

    private sealed class FileKeyLocator(AsymmetricKeyParameter key) : DkimPublicKeyLocatorBase
    {
        public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) => key;

        public override Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            Task.FromResult(key);
    }
}
