using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.OpenSsl;

namespace Pipeline.Signer.Tests.Support;

/// <summary>Plays the DNS for <see cref="DkimVerifier"/>: the public key of selector._domainkey.domain is read
/// straight from the private key file the Signer signs with, by BouncyCastle, independently of the Signer's code.</summary>
public sealed class KeyFileLocator : IDkimPublicKeyLocator
{
    private readonly Dictionary<(string Domain, string Selector), AsymmetricKeyParameter> _keys = [];

    public KeyFileLocator Add(string domain, string selector, string keyFile)
    {
        _keys[(domain.ToLowerInvariant(), selector)] = ReadPublicKey(keyFile);
        return this;
    }

    public static AsymmetricKeyParameter ReadPublicKey(string keyFile)
    {
        using var reader = new StreamReader(keyFile);
        return new PemReader(reader).ReadObject() switch
        {
            AsymmetricCipherKeyPair pair => pair.Public,
            RsaPrivateCrtKeyParameters rsa => new RsaKeyParameters(false, rsa.Modulus, rsa.PublicExponent),
            Ed25519PrivateKeyParameters ed => ed.GeneratePublicKey(),
            var other => throw new InvalidDataException($"{keyFile} holds {other?.GetType().Name ?? "nothing"}, not a private key"),
        };
    }

    public AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
        _keys.TryGetValue((domain.ToLowerInvariant(), selector), out var key)
            ? key
            : throw new InvalidOperationException($"no test key for s={selector} d={domain}");

    public Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
        Task.FromResult(LocatePublicKey(methods, domain, selector, cancellationToken));
}
