using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Signer.Dkim;

namespace Pipeline.Signer.Cli;

/// <summary><c>signer keygen --domain example.com --selector s1 [--algorithm rsa|ed25519] [--bits 2048] [--out file]</c>:
/// writes a new private key (owner-readable only) and prints the DNS TXT record to publish and the Dkim entry to
/// add to the configuration. It never overwrites an existing key file.</summary>
public static class KeygenCommand
{
    public const string Verb = "keygen";

    private const string Usage =
        "usage: keygen --domain <domain> --selector <selector> [--algorithm rsa-sha256|ed25519-sha256] [--bits 1024|2048|4096] [--out <key file>]\n" +
        "  --algorithm  rsa (rsa-sha256, the default) or ed25519 (ed25519-sha256)\n" +
        "  --bits       RSA key size, default 2048\n" +
        "  --out        default config/dkim/<domain>.<selector>.pem";

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        string? domain = null, selector = null, output = null, algorithm = DkimSigningKey.RsaSha256;
        int bits = 2048;
        for (int i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help") { stdout.WriteLine(Usage); return 0; }
            if (i + 1 >= args.Count) return Fail($"{name} needs a value");
            var value = args[++i];
            switch (name)
            {
                case "--domain": domain = value.TrimEnd('.').ToLowerInvariant(); break;
                case "--selector": selector = value; break;
                case "--out": output = value; break;
                case "--algorithm":
                    algorithm = value.ToLowerInvariant() switch
                    {
                        "rsa" or "rsa-sha256" => DkimSigningKey.RsaSha256,
                        "ed25519" or "ed25519-sha256" => DkimSigningKey.Ed25519Sha256,
                        _ => null,
                    };
                    if (algorithm is null) return Fail($"--algorithm: '{value}' is not rsa-sha256 or ed25519-sha256");
                    break;
                case "--bits":
                    if (!int.TryParse(value, out bits) || bits is < DkimSigningKey.MinimumRsaBits or > 8192 || bits % 8 != 0)
                        return Fail($"--bits: '{value}' is not an RSA key size between 1024 and 8192 (2048 is usual)");
                    break;
                default: return Fail($"unknown option '{name}'");
            }
        }
        if (domain is null || Uri.CheckHostName(domain) is not UriHostNameType.Dns) return Fail("--domain: a domain name is required");
        if (selector is null || Uri.CheckHostName(selector) is not UriHostNameType.Dns) return Fail("--selector: a selector (DNS labels) is required");
        output ??= Path.Combine("config", "dkim", $"{domain}.{selector}.pem");
        if (File.Exists(output)) return Fail($"{output} exists; keygen never overwrites a key (choose another --selector or --out)");

        string record;
        try
        {
            record = algorithm == DkimSigningKey.RsaSha256
                ? DkimKeyGenerator.CreateRsaKey(output, domain, selector, bits)
                : DkimKeyGenerator.CreateEd25519Key(output, domain, selector);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail($"cannot write {output}: {e.Message}");
        }
        var entry = new JsonObject { ["Domain"] = domain, ["Selector"] = selector, ["KeyFile"] = output, ["Algorithm"] = algorithm };
        stdout.WriteLine($"Private key written to {output} (readable by its owner only).");
        stdout.WriteLine();
        stdout.WriteLine("Publish this DNS TXT record:");
        stdout.WriteLine(record);
        stdout.WriteLine();
        stdout.WriteLine("Add this entry to the Dkim list of the configuration:");
        stdout.WriteLine(entry.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
        return 0;

        int Fail(string problem)
        {
            stderr.WriteLine($"keygen: {problem}");
            stderr.WriteLine(Usage);
            return 64; // EX_USAGE from sysexits.h
        }
    }
}
