namespace Pipeline.Shared.Configuration;

/// <summary>Delivery settings for a destination domain, as written in the file. Every field is optional: what a
/// domain leaves out comes from the "*" entry, and what that leaves out from <see cref="DomainPolicy.BuiltIn"/>.</summary>
public sealed class DomainOptions
{
    public int? MaxSmtpOut { get; set; }
    public int? MaxMsgPerConnection { get; set; }
    /// <summary>"10/s", "600/m", "1000/h" or "unlimited".</summary>
    public string? MaxMsgRate { get; set; }
    /// <summary>A duration like "10m", or a schedule "5m,15m,1h,4h": the wait before each retry, the last repeated.</summary>
    public string? RetryAfter { get; set; }
    /// <summary>A duration like "4d": recipients still undelivered after this long fail with 5.4.7.</summary>
    public string? BounceAfter { get; set; }
    public bool? UseStartTls { get; set; }
    public bool? RequireStartTls { get; set; }
    public string? BackoffToNormalAfter { get; set; }
    /// <summary>host:port to deliver to instead of the domain's MX.</summary>
    public string? Route { get; set; }
    /// <summary>New connections per time, e.g. "20/m".</summary>
    public string? MaxConnectRate { get; set; }
    /// <summary>In backoff mode: the message rate, connections and retry wait that replace the normal ones.</summary>
    public string? BackoffMaxMsgRate { get; set; }
    public int? BackoffMaxSmtpOut { get; set; }
    public string? BackoffRetryAfter { get; set; }
}
