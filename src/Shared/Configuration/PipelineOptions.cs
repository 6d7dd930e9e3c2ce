namespace Pipeline.Shared.Configuration;

/// <summary>The one configuration file every service reads (DESIGN.md), bound from its root.
/// Durations and rates stay text here ("10m", "600/m") and are parsed by <see cref="PipelineOptionsValidator"/>,
/// so a bad value is reported with its key instead of a binder exception.</summary>
public sealed class PipelineOptions
{
    public ConnectionStringsOptions ConnectionStrings { get; set; } = new();
    public IngestOptions Ingest { get; set; } = new();
    public Dictionary<string, VirtualMtaOptions> VirtualMtas { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    public Dictionary<string, List<string>> Pools { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    public Dictionary<string, DomainOptions> Domains { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    public DnsOptions Dns { get; set; } = new();
    public TelemetryOptions Telemetry { get; set; } = new();
    public List<DkimKeyOptions> Dkim { get; set; } = [];
    public BounceOptions Bounce { get; set; } = new();
    public SignerOptions Signer { get; set; } = new();
    public DispatcherOptions Dispatcher { get; set; } = new();
    public BounceProcessorOptions BounceProcessor { get; set; } = new();
    /// <summary>Who may see the monitor, status pages and metrics, and who may manage (every service's listener).</summary>
    public HttpAccessOptions HttpAccess { get; set; } = new();
    /// <summary>The web monitor and its status board.</summary>
    public MonitorOptions Monitor { get; set; } = new();
    /// <summary>Log level, and the optional log files with their rotation and retention.</summary>
    public LogOptions Log { get; set; } = new();

    /// <summary>The pool used when a message names no VirtualMTA.</summary>
    public const string DefaultPool = "default";

    /// <summary>The domain-settings entry that holds the defaults for every domain.</summary>
    public const string WildcardDomain = "*";
}
