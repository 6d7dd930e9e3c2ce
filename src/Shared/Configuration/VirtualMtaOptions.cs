namespace Pipeline.Shared.Configuration;

/// <summary>A VirtualMTA: a source IP address with its own EHLO name, PowerMTA's &lt;virtual-mta&gt;.</summary>
public sealed class VirtualMtaOptions
{
    /// <summary>The address outbound connections bind to.</summary>
    public string SourceIp { get; set; } = "";
    /// <summary>The name this VirtualMTA says in EHLO; its PTR record should match.</summary>
    public string HostName { get; set; } = "";
    /// <summary>Messages per time from this source IP across all destination domains ("unlimited" by default).</summary>
    public string? SourceIpMaxMsgRate { get; set; }
    /// <summary>New connections per time from this source IP across all destinations.</summary>
    public string? SourceIpMaxConnectRate { get; set; }
    /// <summary>Open connections from this source IP across all destinations.</summary>
    public int? SourceIpMaxSmtpOut { get; set; }
    /// <summary>IP warm-up: the most messages this VirtualMTA may send on day 1, 2, 3 ... counted from
    /// <see cref="WarmUpStart"/> (UTC); after the last day there is no cap.</summary>
    public List<int> WarmUp { get; set; } = [];
    /// <summary>The first day of the warm-up schedule, yyyy-MM-dd.</summary>
    public string? WarmUpStart { get; set; }
}
