using System.Security.Cryptography;

namespace Pipeline.Signer.Dkim;

/// <summary>Creates DKIM key pairs and the DNS TXT record that publishes the public half (RFC 6376 3.6.1, RFC 8463 4).</summary>
public static class DkimKeyGenerator
{
    /// <summary>Writes a new RSA private key (PKCS#1 PEM, readable by the owner only) and returns its TXT record.</summary>
    public static string CreateRsaKey(string keyFile, string domain, string selector, int bits = 2048)
    {
        using var rsa = RSA.Create(bits);
        WriteOwnerOnly(keyFile, rsa.ExportRSAPrivateKeyPem());
        return TxtRecord(domain, selector, "rsa", rsa.ExportSubjectPublicKeyInfo());
    }

    /// <summary>Writes a new Ed25519 private key (PKCS#8 PEM, as OpenSSL writes it, owner only) and returns its TXT record.</summary>
    public static string CreateEd25519Key(string keyFile, string domain, string selector)
    {
        using var key = Ed25519SigningKey.Create();
        WriteOwnerOnly(keyFile, key.ExportPkcs8Pem());
        return TxtRecord(domain, selector, "ed25519", key.PublicKey);
    }

    /// <summary>A zone-file line. DNS character-strings hold at most 255 bytes (RFC 1035 3.3), so a long value (any
    /// RSA key of 2048 bits or more) is written as several quoted strings, which verifiers join.</summary>
    public static string TxtRecord(string domain, string selector, string keyType, byte[] publicKey)
    {
        var value = $"v=DKIM1; k={keyType}; p={Convert.ToBase64String(publicKey)}";
        var strings = Enumerable.Range(0, (value.Length + 254) / 255).Select(i => $"\"{value.Substring(i * 255, Math.Min(255, value.Length - i * 255))}\"");
        return $"{selector}._domainkey.{domain}. IN TXT {string.Join(' ', strings)}";
    }

    private static void WriteOwnerOnly(string keyFile, string pem)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(keyFile))!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var writer = new StreamWriter(keyFile, options);
        writer.Write(pem);
        writer.Write('\n');
    }
}
