using System.Security.Cryptography;
using Pipeline.Signer.Dkim;

namespace Pipeline.Signer.Tests.Dkim;

public sealed class DkimSigningKeyTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void On_linux_rsa_signs_through_openssl_and_the_signature_verifies()
    {
        Assert.True(OperatingSystem.IsLinux(), "the Signer runs on Linux; this test checks its fast RSA path there");
        var keyFile = _dir.File("rsa.pem");
        DkimKeyGenerator.CreateRsaKey(keyFile, "example.test", "s1");
        using var key = Assert.IsType<RsaSigningKey>(DkimSigningKey.Load(keyFile, DkimSigningKey.RsaSha256));
        using var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(keyFile));
        var hash = SHA256.HashData("message"u8);

        var signatures = new byte[16][];
        Parallel.For(0, signatures.Length, i =>
        {
            var signature = new byte[key.MaxSignatureLength];
            signatures[i] = signature[..key.Sign(hash, signature)];
        });

        Assert.True(key.UsesOpenSsl, "libcrypto.so.3 was not usable; RSA signing fell back to .NET's slower path");
        Assert.All(signatures, s => Assert.True(rsa.VerifyHash(hash, s, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)));
    }

    [Fact]
    public void Ed25519_keys_round_trip_through_pkcs8_and_sign_as_rfc_8032_says()
    {
        using var key = Ed25519SigningKey.Create();
        var keyFile = _dir.WriteFile("ed.pem", key.ExportPkcs8Pem());
        using var loaded = DkimSigningKey.Load(keyFile, DkimSigningKey.Ed25519Sha256);
        var hash = SHA256.HashData("message"u8);
        var signature = new byte[64];

        loaded.Sign(hash, signature);

        Assert.Equal(key.PublicKey, loaded.PublicKey);
        var publicKey = new Org.BouncyCastle.Crypto.Parameters.Ed25519PublicKeyParameters(loaded.PublicKey);
        var verifier = new Org.BouncyCastle.Crypto.Signers.Ed25519Signer();
        verifier.Init(false, publicKey);
        verifier.BlockUpdate(hash, 0, hash.Length);
        Assert.True(verifier.VerifySignature(signature));
    }
}
