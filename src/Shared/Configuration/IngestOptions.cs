namespace Pipeline.Shared.Configuration;

public sealed class IngestOptions
{
    public SmtpListenerOptions Smtp { get; set; } = new();
    public HttpListenerOptions Http { get; set; } = new() { Listen = "0.0.0.0:8080" };
    /// <summary>List-Unsubscribe headers added to messages that have none (RFC 2369, RFC 8058); off when empty.</summary>
    public ListUnsubscribeOptions ListUnsubscribe { get; set; } = new();
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
    /// <summary>Most recipients one message may have; RCPT beyond it gets 452 4.5.3.</summary>
    public int MaxRecipients { get; set; } = 1000;
    /// <summary>Most SMTP sessions at once; a connection beyond it gets 421 4.7.0 and is closed.</summary>
    public int MaxSessions { get; set; } = 500;
    /// <summary>New connections one client IP may open, as a rate ("50/s", "600/m", "unlimited"); beyond it 421 4.7.0.</summary>
    public string MaxConnectionRatePerIp { get; set; } = "unlimited";
    /// <summary>How long a session may wait for the client's next command or data before 421 4.4.2.</summary>
    public string IdleTimeout { get; set; } = "5m";
    /// <summary>STARTTLS certificate.</summary>
    public SmtpTlsOptions Tls { get; set; } = new();
    /// <summary>Offer AUTH only on a TLS-protected session (RFC 4954 section 4 advises it for PLAIN and LOGIN).</summary>
    public bool AuthRequiresTls { get; set; } = true;
    /// <summary>Users for AUTH PLAIN and LOGIN; an authenticated client may relay from anywhere.</summary>
    public List<SmtpUserOptions> Users { get; set; } = [];
    /// <summary>What to do with a recipient on the suppression list: "refuse" (550 5.7.1 at RCPT), "drop" (250,
    /// then left out of the message) or "off" (no check).</summary>
    public string Suppressed { get; set; } = "refuse";
}

public sealed class SmtpTlsOptions
{
    /// <summary>PEM certificate (with its chain), or a PKCS#12 (.pfx/.p12) file.</summary>
    public string? CertificateFile { get; set; }
    /// <summary>PEM private key for a PEM <see cref="CertificateFile"/>; empty when the key is in the same file.</summary>
    public string? KeyFile { get; set; }
    /// <summary>Password of a PKCS#12 file or an encrypted PEM key.</summary>
    public string? Password { get; set; }
    /// <summary>Without a certificate file, generate a self-signed one at start (development).</summary>
    public bool GenerateSelfSigned { get; set; } = true;
}

public sealed class SmtpUserOptions
{
    public string Name { get; set; } = "";
    /// <summary>pbkdf2-sha256$iterations$salt-base64$hash-base64, made by `dotnet run --project src/Ingest -- hash-password`.</summary>
    public string PasswordHash { get; set; } = "";
}

public sealed class ListUnsubscribeOptions
{
    /// <summary>mailto: template, e.g. "mailto:unsubscribe@example.com?subject=unsubscribe:{recipient}".</summary>
    public string? Mailto { get; set; }
    /// <summary>https: template, e.g. "https://example.com/unsubscribe?r={recipient}".</summary>
    public string? Url { get; set; }
    /// <summary>Add List-Unsubscribe-Post: List-Unsubscribe=One-Click (RFC 8058); needs <see cref="Url"/>.</summary>
    public bool OneClick { get; set; } = true;
}

public sealed class HttpListenerOptions
{
    /// <summary>Address and port of a service's HTTP listener (health, API, metrics).</summary>
    public string Listen { get; set; } = "";
    /// <summary>API keys accepted by the HTTP API.</summary>
    public List<string> ApiKeys { get; set; } = [];
}
