namespace Pipeline.Shared.Configuration;

public sealed class IngestOptions
{
    public SmtpListenerOptions Smtp { get; set; } = new();
    public HttpListenerOptions Http { get; set; } = new() { Listen = "0.0.0.0:8080" };
}

public sealed class SmtpListenerOptions
{
    /// <summary>Address and port of the SMTP listener.</summary>
    public string Listen { get; set; } = "0.0.0.0:2525";
    /// <summary>Host name in the greeting and in Received headers; the machine name when empty.</summary>
    public string? ServerName { get; set; }
    /// <summary>Networks (CIDR) whose clients may relay without authenticating.</summary>
    public List<string> RelayFrom { get; set; } = ["127.0.0.0/8"];
    /// <summary>Largest message accepted, in bytes (announced with SIZE).</summary>
    public long MaxMessageBytes { get; set; } = 25 * 1024 * 1024;
    /// <summary>How long a publish may wait for the broker's confirm before the client gets 451 4.3.0.</summary>
    public string PublishTimeout { get; set; } = "15s";
}

public sealed class HttpListenerOptions
{
    /// <summary>Address and port of a service's HTTP listener (health, API, metrics).</summary>
    public string Listen { get; set; } = "";
    /// <summary>API keys accepted by the HTTP API.</summary>
    public List<string> ApiKeys { get; set; } = [];
}
