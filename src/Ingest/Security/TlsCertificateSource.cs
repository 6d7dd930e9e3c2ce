using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Pipeline.Shared.Configuration;

namespace Pipeline.Ingest.Security;

/// <summary>The STARTTLS certificate: from Ingest:Smtp:Tls (PEM certificate + key, or PKCS#12), or, when none is
/// configured and GenerateSelfSigned is on, a self-signed one for the server name made at start (development).
/// Null means STARTTLS is not offered.</summary>
public sealed class TlsCertificateSource
{
    public TlsCertificateSource(PipelineOptions options)
    {
        var tls = options.Ingest.Smtp.Tls;
        var serverName = options.Ingest.Smtp.ServerName is { Length: > 0 } n ? n : Environment.MachineName;
        if (tls.CertificateFile is { Length: > 0 } file)
            Certificate = Load(file, tls.KeyFile, tls.Password);
        else if (tls.GenerateSelfSigned)
            Certificate = SelfSigned(serverName);
    }

    public X509Certificate2? Certificate { get; }

    private static X509Certificate2 Load(string file, string? keyFile, string? password)
    {
        if (file.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".p12", StringComparison.OrdinalIgnoreCase))
            return X509CertificateLoader.LoadPkcs12FromFile(file, password);
        var certificate = string.IsNullOrEmpty(password)
            ? X509Certificate2.CreateFromPemFile(file, keyFile is { Length: > 0 } ? keyFile : null)
            : X509Certificate2.CreateFromEncryptedPemFile(file, password, keyFile is { Length: > 0 } ? keyFile : null);
        return Exportable(certificate);
    }

    /// <summary>RSA-2048, valid a year, the server name and loopback as subject alternative names.</summary>
    public static X509Certificate2 SelfSigned(string serverName)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={serverName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(serverName);
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = DateTimeOffset.UtcNow;
        return Exportable(request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(1)));
    }

    /// <summary>On Linux, SslStream needs the key in a form it can hand to OpenSSL: round-trip through PKCS#12.</summary>
    private static X509Certificate2 Exportable(X509Certificate2 certificate)
    {
        using (certificate)
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
