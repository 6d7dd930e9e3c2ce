namespace Pipeline.Shared.Configuration;

public sealed class DnsOptions
{
    /// <summary>Name servers as "ip" or "ip:port"; empty means the system resolver.</summary>
    public List<string> Servers { get; set; } = [];
}
