using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace Pipeline.Signer.Dkim;

/// <summary>A private key that signs the SHA-256 hash of a message's canonical headers (RFC 6376 3.7): RSASSA-PKCS1-v1_5
/// for rsa-sha256, PureEdDSA Ed25519 over the 32-byte hash for ed25519-sha256 (RFC 8463 3). Instances are
/// immutable and safe to use from concurrent consumers.</summary>
public abstract class DkimSigningKey : IDisposable
{
    /// <summary>The a= tag value.</summary>
    public abstract string Algorithm { get; }

    /// <summary>The k= tag value of the DNS record.</summary>
    public abstract string KeyType { get; }

    /// <summary>Key size in bits (RSA modulus, or 256 for Ed25519).</summary>
    public abstract int Bits { get; }

    /// <summary>The p= value of the DNS record: SubjectPublicKeyInfo for RSA (RFC 6376 3.6.1), the raw 32-byte key
    /// for Ed25519 (RFC 8463 4).</summary>
    public abstract byte[] PublicKey { get; }

    /// <summary>Upper bound of a signature's length.</summary>
    public abstract int MaxSignatureLength { get; }

    /// <summary>Signs a SHA-256 hash; returns the signature's length.</summary>
    public abstract int Sign(ReadOnlySpan<byte> sha256, Span<byte> signature);

    /// <summary>The DNS TXT value that publishes the public half.</summary>
    public string TxtValue => $"v=DKIM1; k={KeyType}; p={Convert.ToBase64String(PublicKey)}";

    public const string RsaSha256 = "rsa-sha256";
    public const string Ed25519Sha256 = "ed25519-sha256";

    /// <summary>RFC 8301 3.2: verifiers must not accept RSA keys under 1024 bits.</summary>
    public const int MinimumRsaBits = 1024;

    /// <summary>Reads a PEM private key (PKCS#1 "RSA PRIVATE KEY" or PKCS#8 "PRIVATE KEY") for
    /// <paramref name="algorithm"/>; the message of the exception says what is wrong with the file.</summary>
    public static DkimSigningKey Load(string keyFile, string algorithm)
    {
        var pem = File.ReadAllText(keyFile);
        DkimSigningKey key = algorithm switch
        {
            RsaSha256 => RsaSigningKey.FromPem(pem),
            Ed25519Sha256 => Ed25519SigningKey.FromPem(pem),
            _ => throw new InvalidDataException($"'{algorithm}' is not rsa-sha256 or ed25519-sha256"),
        };
        try
        {
            // A public key, or a key that OpenSSL refuses, shows itself here, at load, not at the first message.
            Span<byte> probe = stackalloc byte[32];
            var signature = new byte[key.MaxSignatureLength];
            key.Sign(probe, signature);
            return key;
        }
        catch (CryptographicException e)
        {
            key.Dispose();
            throw new InvalidDataException($"the key cannot sign: {e.Message}", e);
        }
    }

    public virtual void Dispose() => GC.SuppressFinalize(this);
}

/// <summary>RSA through OpenSSL 3 with prepared signing contexts where it is present (<see cref="OpenSslRsaSigner"/>),
/// else through System.Security.Cryptography.</summary>
public sealed class RsaSigningKey : DkimSigningKey
{
    private readonly RSA _rsa;
    private readonly OpenSslRsaSigner? _openSsl;

    private RsaSigningKey(RSA rsa)
    {
        _rsa = rsa;
        PublicKey = rsa.ExportSubjectPublicKeyInfo();
        _openSsl = OpenSslRsaSigner.TryCreate(rsa);
    }

    /// <summary>Whether signatures go through OpenSSL's prepared contexts (false: .NET's RSA).</summary>
    public bool UsesOpenSsl => _openSsl is not null;

    public static RsaSigningKey FromPem(string pem)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            // ImportFromPem also takes a public key: a signing key must have its private exponent.
            rsa.ExportParameters(includePrivateParameters: true);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
            throw new InvalidDataException(pem.Contains("-----BEGIN", StringComparison.Ordinal)
                ? $"not an RSA private key ({e.Message})"
                : "no PEM private key in the file", e);
        }
        if (rsa.KeySize < MinimumRsaBits)
        {
            var bits = rsa.KeySize;
            rsa.Dispose();
            throw new InvalidDataException($"a {bits}-bit RSA key is too short: verifiers reject keys under {MinimumRsaBits} bits (RFC 8301)");
        }
        return new RsaSigningKey(rsa);
    }

    public override string Algorithm => RsaSha256;
    public override string KeyType => "rsa";
    public override int Bits => _rsa.KeySize;
    public override byte[] PublicKey { get; }
    public override int MaxSignatureLength => (_rsa.KeySize + 7) / 8;

    public override int Sign(ReadOnlySpan<byte> sha256, Span<byte> signature) =>
        _openSsl?.Sign(sha256, signature)
            ?? (_rsa.TrySignHash(sha256, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, out var written)
                ? written
                : throw new CryptographicException("the signature buffer is too small"));

    public override void Dispose()
    {
        _openSsl?.Dispose();
        _rsa.Dispose();
        base.Dispose();
    }
}

/// <summary>Ed25519 through BouncyCastle's RFC 8032 code (.NET has no Ed25519 of its own).</summary>
public sealed class Ed25519SigningKey : DkimSigningKey
{
    private readonly byte[] _secret;

    private Ed25519SigningKey(byte[] secret)
    {
        _secret = secret;
        PublicKey = new byte[Org.BouncyCastle.Math.EC.Rfc8032.Ed25519.PublicKeySize];
        Org.BouncyCastle.Math.EC.Rfc8032.Ed25519.GeneratePublicKey(secret, 0, PublicKey, 0);
    }

    /// <summary>A new random key.</summary>
    public static Ed25519SigningKey Create()
    {
        var secret = new byte[Org.BouncyCastle.Math.EC.Rfc8032.Ed25519.SecretKeySize];
        RandomNumberGenerator.Fill(secret);
        return new Ed25519SigningKey(secret);
    }

    public static Ed25519SigningKey FromPem(string pem)
    {
        if (!PemEncoding.TryFind(pem, out var fields))
            throw new InvalidDataException("no PEM private key in the file");
        var label = pem[fields.Label];
        if (label != "PRIVATE KEY")
            throw new InvalidDataException($"a PEM '{label}' is not an Ed25519 private key (expected PKCS#8 'PRIVATE KEY')");
        object parameters;
        try
        {
            parameters = PrivateKeyFactory.CreateKey(Convert.FromBase64String(pem[fields.Base64Data]));
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or InvalidCastException
                                      or IOException or SecurityUtilityException)
        {
            throw new InvalidDataException($"not a PKCS#8 private key ({e.Message})", e);
        }
        return parameters is Ed25519PrivateKeyParameters ed
            ? new Ed25519SigningKey(ed.GetEncoded())
            : throw new InvalidDataException($"the key is {parameters.GetType().Name.Replace("PrivateKeyParameters", "", StringComparison.Ordinal).Replace("Parameters", "", StringComparison.Ordinal)}, not Ed25519");
    }

    /// <summary>PKCS#8 PEM of the key (RFC 8410), as OpenSSL writes it.</summary>
    public string ExportPkcs8Pem()
    {
        // PrivateKeyInfo { version 0, AlgorithmIdentifier { 1.3.101.112 }, OCTET STRING { OCTET STRING seed } }
        byte[] der = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20, .. _secret];
        return PemEncoding.WriteString("PRIVATE KEY", der);
    }

    public override string Algorithm => Ed25519Sha256;
    public override string KeyType => "ed25519";
    public override int Bits => 256;
    public override byte[] PublicKey { get; }
    public override int MaxSignatureLength => Org.BouncyCastle.Math.EC.Rfc8032.Ed25519.SignatureSize;

    public override int Sign(ReadOnlySpan<byte> sha256, Span<byte> signature)
    {
        // BouncyCastle's Ed25519 is stateless given the secret and public key, so concurrent calls are safe.
        var message = sha256.ToArray();
        var result = new byte[Org.BouncyCastle.Math.EC.Rfc8032.Ed25519.SignatureSize];
        Org.BouncyCastle.Math.EC.Rfc8032.Ed25519.Sign(_secret, 0, PublicKey, 0, message, 0, message.Length, result, 0);
        result.CopyTo(signature);
        return result.Length;
    }
}
