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
    /// <summary>The spool where accepted messages wait for delivery and retries.</summary>
    public SpoolOptions Spool { get; set; } = new();
    public TrafficOptions Traffic { get; set; } = new();
    /// <summary>How often this Dispatcher publishes its queue snapshot to the status board (the fleet view); the
    /// snapshot lives three intervals, so a dead worker leaves the monitor by itself.</summary>
    public string StatusInterval { get; set; } = "5s";
    /// <summary>This worker's name on the monitor; empty means the host name and process id.</summary>
    public string? InstanceName { get; set; }
}

/// <summary>Traffic control shared across Dispatcher workers (limits in Redis) and its backoff rules.</summary>
public sealed class TrafficOptions
{
    /// <summary>While Redis is unreachable, each worker keeps this share of every limit locally (0 to 1).</summary>
    public double FallbackShare { get; set; } = 0.5;
    /// <summary>How long an open-connection lease lives unless renewed: the most a dead worker's slots stay taken.</summary>
    public string LeaseTime { get; set; } = "30s";
    /// <summary>Extra reply patterns (regular expressions over "code status text") that put a queue into backoff,
    /// besides the built-in ones for the big providers' throttling replies.</summary>
    public List<string> BackoffPatterns { get; set; } = [];
}

public sealed class BounceProcessorOptions
{
    public HttpListenerOptions Http { get; set; } = new() { Listen = "127.0.0.1:8082" };
    /// <summary>Folder of the accounting CSV files.</summary>
    public string AccountingDirectory { get; set; } = "data/acct";
    /// <summary>A bounce classification rules file replacing the shipped Classification/bounce-rules.json.</summary>
    public string? RulesFile { get; set; }
    /// <summary>Prefix of the BounceProcessor's Redis keys (suppression list, sent recipients).</summary>
    public string RedisPrefix { get; set; } = "pipeline:";
    /// <summary>Prefix of the BounceProcessor's queue names, for a second, independent group of BounceProcessors on
    /// the same broker (each group gets its own copy of every event); empty for the normal queues.</summary>
    public string QueuePrefix { get; set; } = "";
    /// <summary>How long a sent recipient is remembered, to map asynchronous bounces and complaints back to it.</summary>
    public string SentRetention { get; set; } = "30d";
    /// <summary>How long accounting files are kept ("90d"); "0" or absent keeps them forever. Closed days are
    /// gzipped either way (acct-YYYY-MM-DD.csv.gz).</summary>
    public string? AccountingRetention { get; set; }
}
