using MimeKit;
using MimeKit.Cryptography;
using Pipeline.Shared.Configuration;

namespace Pipeline.Signer.Dkim;

/// <summary>The signing keys by author domain, loaded once at start from the files named under Dkim. A missing or
/// unreadable key stops the Signer with the key's configuration name, unless Signer:GenerateMissingKeys is on
/// (the standalone host), in which case a new RSA key is written and its DNS record logged.</summary>
public sealed class DkimKeyStore
{
    private readonly Dictionary<string, DkimSigner[]> _byDomain;

    public DkimKeyStore(PipelineOptions options, ILogger<DkimKeyStore> log)
    {
        var signers = new List<(string Domain, DkimSigner Signer)>();
        for (int i = 0; i < options.Dkim.Count; i++)
        {
            var key = options.Dkim[i];
            if (!File.Exists(key.KeyFile))
            {
                if (!options.Signer.GenerateMissingKeys || key.Algorithm != "rsa-sha256")
                    throw new PipelineConfigurationException($"Dkim:{i}:KeyFile: {Path.GetFullPath(key.KeyFile)} does not exist");
                var txt = DkimKeyGenerator.CreateRsaKey(key.KeyFile, key.Domain, key.Selector);
                SignerLog.KeyGenerated(log, key.KeyFile, txt);
            }
            DkimSigner signer;
            try
            {
                signer = new DkimSigner(key.KeyFile, key.Domain, key.Selector,
                    key.Algorithm == "ed25519-sha256" ? DkimSignatureAlgorithm.Ed25519Sha256 : DkimSignatureAlgorithm.RsaSha256)
                {
                    HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
                    BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
                };
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentException
                                          or Org.BouncyCastle.Security.SecurityUtilityException)
            {
                throw new PipelineConfigurationException($"Dkim:{i}:KeyFile: {key.KeyFile} is not a usable {key.Algorithm} private key: {e.Message}", e);
            }
            try
            {
                // MimeKit only finds out at the first signature that the key does not fit the algorithm
                // (an RSA key named ed25519-sha256, or the reverse); find out now, at start.
                signer.Sign(ProbeMessage(), [HeaderId.From]);
            }
            catch (Exception e)
            {
                throw new PipelineConfigurationException($"Dkim:{i}:KeyFile: {key.KeyFile} cannot sign as {key.Algorithm}: {e.Message}", e);
            }
            signers.Add((key.Domain, signer));
            SignerLog.KeyLoaded(log, key.Domain, key.Selector, key.Algorithm);
        }
        _byDomain = signers.GroupBy(s => s.Domain, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Select(s => s.Signer).ToArray(), StringComparer.OrdinalIgnoreCase);
    }

    private static MimeMessage ProbeMessage()
    {
        using var stream = new MemoryStream("From: probe@example.invalid\r\n\r\nprobe\r\n"u8.ToArray(), writable: false);
        return MimeMessage.Load(stream);
    }

    /// <summary>The signers for an author domain; empty when it has no key.</summary>
    public IReadOnlyList<DkimSigner> For(string domain) => _byDomain.GetValueOrDefault(domain) ?? [];
}
