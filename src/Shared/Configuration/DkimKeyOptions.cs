namespace Pipeline.Shared.Configuration;

/// <summary>One DKIM key. Several entries for one domain mean one signature each (e.g. RSA and Ed25519).</summary>
public sealed class DkimKeyOptions
{
    /// <summary>The signing domain (d=); mail whose From is in this domain is signed with this key.</summary>
    public string Domain { get; set; } = "";
    /// <summary>The selector (s=): the key's DNS name is selector._domainkey.domain.</summary>
    public string Selector { get; set; } = "";
    /// <summary>PEM private key file.</summary>
    public string KeyFile { get; set; } = "";
    /// <summary>rsa-sha256 (default) or ed25519-sha256.</summary>
    public string Algorithm { get; set; } = "rsa-sha256";
}
