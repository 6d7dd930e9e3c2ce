namespace Pipeline.Shared.Configuration;

/// <summary>One DKIM key. Several entries for one domain mean one signature each (e.g. RSA and Ed25519).
/// Domain "*" is the default key: it signs, with d= the author domain, mail whose author domain has no entry
/// of its own (the operator publishes the key under each such domain, usually by a CNAME).</summary>
public sealed class DkimKeyOptions
{
    /// <summary>The signing domain (d=); mail whose From is in this domain is signed with this key; "*" for the
    /// default key of every other author domain.</summary>
    public string Domain { get; set; } = "";
    /// <summary>The selector (s=): the key's DNS name is selector._domainkey.domain.</summary>
    public string Selector { get; set; } = "";
    /// <summary>PEM private key file.</summary>
    public string KeyFile { get; set; } = "";
    /// <summary>rsa-sha256 (default) or ed25519-sha256.</summary>
    public string Algorithm { get; set; } = "rsa-sha256";
    /// <summary>Header and body canonicalization (c=): relaxed/relaxed (default), relaxed/simple, simple/relaxed or
    /// simple/simple; one word means that for the header and simple for the body (RFC 6376 3.5).</summary>
    public string Canonicalization { get; set; } = "relaxed/relaxed";
    /// <summary>Sign every message with this key (d=Domain), in addition to the author domain's signature: the
    /// sending platform's own signature.</summary>
    public bool SignAllMail { get; set; }
}
