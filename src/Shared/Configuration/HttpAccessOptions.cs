namespace Pipeline.Shared.Configuration;

/// <summary>Who may use the services' HTTP pages, PowerMTA's <c>http-access</c>: each client network gets a level
/// (<c>none</c>, <c>monitor</c> for read-only pages and metrics, <c>admin</c> for management), the most specific
/// network wins; an API key carries a level of its own and works from any address. Without any network configured
/// loopback is <c>admin</c> and everyone else <c>none</c>.</summary>
public sealed class HttpAccessOptions
{
    public List<HttpAccessNetworkOptions> Networks { get; set; } = [];
    public List<HttpAccessKeyOptions> ApiKeys { get; set; } = [];
}

public sealed class HttpAccessNetworkOptions
{
    /// <summary>A network in CIDR form, "10.0.0.0/8" or "::1/128"; a bare address means just that host.</summary>
    public string Network { get; set; } = "";
    /// <summary>none, monitor or admin.</summary>
    public string Level { get; set; } = "";
}

public sealed class HttpAccessKeyOptions
{
    /// <summary>Given as "Authorization: Bearer &lt;key&gt;" or "X-Api-Key: &lt;key&gt;".</summary>
    public string Key { get; set; } = "";
    /// <summary>monitor or admin.</summary>
    public string Level { get; set; } = "admin";
}
