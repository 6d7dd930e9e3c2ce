namespace Pipeline.Shared.Configuration;

/// <summary>A VirtualMTA: a source IP address with its own EHLO name, PowerMTA's &lt;virtual-mta&gt;.</summary>
public sealed class VirtualMtaOptions
{
    /// <summary>The address outbound connections bind to.</summary>
    public string SourceIp { get; set; } = "";
    /// <summary>The name this VirtualMTA says in EHLO; its PTR record should match.</summary>
    public string HostName { get; set; } = "";
}
