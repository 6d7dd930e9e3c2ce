namespace Pipeline.Shared.Configuration;

/// <summary>The web monitor (Ingest's http://host:8080/monitor) and the status board behind it.</summary>
public sealed class MonitorOptions
{
    /// <summary>Prefix of the status board's Redis keys (Shared/Status/StatusKeys): one fleet, one prefix.</summary>
    public string RedisPrefix { get; set; } = "pipeline:status:";
    /// <summary>How many of the latest bounces and complaints are kept for the monitor.</summary>
    public int RecentEvents { get; set; } = 50;
    /// <summary>How many minutes of rates the monitor shows.</summary>
    public int RateMinutes { get; set; } = 15;
    /// <summary>How often the monitor page refreshes itself.</summary>
    public string Refresh { get; set; } = "3s";
}
