namespace Pipeline.Shared.Configuration;

public sealed class SignerOptions
{
    public HttpListenerOptions Http { get; set; } = new() { Listen = "127.0.0.1:8083" };
    /// <summary>Create a missing key file (RSA-2048) at start and print its DNS record; the standalone host sets
    /// this so a fresh clone runs, a production Signer refuses to start instead.</summary>
    public bool GenerateMissingKeys { get; set; }
    /// <summary>Mail that no key signs for its author domain (no entry for it, no "*" entry) is a signing failure
    /// and goes to the error queue; false lets it leave unsigned (or with the platform's signature only).</summary>
    public bool RequireSignature { get; set; }
    /// <summary>How often the key files are checked for a change; a changed file is loaded without a restart.</summary>
    public string KeyReloadInterval { get; set; } = "5s";
}

public sealed class DispatcherOptions
{
    public HttpListenerOptions Http { get; set; } = new() { Listen = "127.0.0.1:8081" };
    /// <summary>The VirtualMTAs this Dispatcher serves; empty means every VirtualMTA whose source IP is an
    /// address of this machine.</summary>
    public List<string> Serve { get; set; } = [];
    /// <summary>Where deferred messages wait for their next attempt.</summary>
    public string DataDirectory { get; set; } = "data/dispatcher";
    /// <summary>How long a connection to a receiving MTA may take, and each command after it.</summary>
    public string SmtpTimeout { get; set; } = "2m";
}

public sealed class BounceProcessorOptions
{
    public HttpListenerOptions Http { get; set; } = new() { Listen = "127.0.0.1:8082" };
    /// <summary>Folder of the accounting CSV files.</summary>
    public string AccountingDirectory { get; set; } = "data/acct";
}
