using System.Security.Cryptography;

namespace Pipeline.Signer.Dkim;

/// <summary>Creates DKIM key pairs and the DNS TXT record that publishes the public half (RFC 6376 3.6.1).</summary>
public static class DkimKeyGenerator
{
    /// <summary>Writes a new RSA private key (PKCS#1 PEM, readable by the owner only) and returns its TXT record.</summary>
    public static string CreateRsaKey(string keyFile, string domain, string selector, int bits = 2048)
    {
        using var rsa = RSA.Create(bits);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(keyFile))!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var writer = new StreamWriter(keyFile, options))
        {
            writer.Write(rsa.ExportRSAPrivateKeyPem());
            writer.Write('\n');
        }
        return TxtRecord(domain, selector, "rsa", rsa.ExportSubjectPublicKeyInfo());
    }

    /// <summary>The TXT record of an existing RSA key file.</summary>
    public static string RsaTxtRecordFor(string keyFile, string domain, string selector)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(keyFile));
        return TxtRecord(domain, selector, "rsa", rsa.ExportSubjectPublicKeyInfo());
    }

    public static string TxtRecord(string domain, string selector, string keyType, byte[] publicKey) =>
        $"{selector}._domainkey.{domain}. IN TXT \"v=DKIM1; k={keyType}; p={Convert.ToBase64String(publicKey)}\"";
}
