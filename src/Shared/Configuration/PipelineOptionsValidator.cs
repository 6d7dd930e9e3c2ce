using System.Net;

namespace Pipeline.Shared.Configuration;

/// <summary>Checks the whole configuration at start and reports every problem with the key it is under, in the
/// colon form .NET uses for overrides ("Domains:gmail.com:MaxMsgRate"), so an operator can find and fix it.</summary>
public static class PipelineOptionsValidator
{
    public static IReadOnlyList<string> Validate(PipelineOptions o, bool requireBroker)
    {
        var errors = new List<string>();
        void Error(string key, string problem) => errors.Add($"{key}: {problem}");

        if (requireBroker)
        {
            var amqp = o.ConnectionStrings.RabbitMq;
            if (string.IsNullOrWhiteSpace(amqp))
                Error("ConnectionStrings:RabbitMq", "is required (amqp://user:password@host:5672/vhost)");
            else if (!Uri.TryCreate(amqp, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps") || string.IsNullOrEmpty(uri.Host))
                Error("ConnectionStrings:RabbitMq", $"'{amqp}' is not an amqp:// or amqps:// URI");
        }

        CheckListen(o.Ingest.Smtp.Listen, "Ingest:Smtp:Listen");
        CheckListen(o.Ingest.Http.Listen, "Ingest:Http:Listen");
        CheckListen(o.Signer.Http.Listen, "Signer:Http:Listen");
        CheckListen(o.Dispatcher.Http.Listen, "Dispatcher:Http:Listen");
        CheckListen(o.BounceProcessor.Http.Listen, "BounceProcessor:Http:Listen");
        for (int i = 0; i < o.Ingest.Smtp.RelayFrom.Count; i++)
        {
            if (!IPNetwork.TryParse(o.Ingest.Smtp.RelayFrom[i], out _))
                Error($"Ingest:Smtp:RelayFrom:{i}", $"'{o.Ingest.Smtp.RelayFrom[i]}' is not a network like 127.0.0.0/8");
        }
        if (o.Ingest.Smtp.MaxMessageBytes is <= 0 or > int.MaxValue)
            Error("Ingest:Smtp:MaxMessageBytes", $"{o.Ingest.Smtp.MaxMessageBytes} must be between 1 and {int.MaxValue}");
        CheckDuration(o.Ingest.Smtp.PublishTimeout, "Ingest:Smtp:PublishTimeout");
        CheckDuration(o.Dispatcher.SmtpTimeout, "Dispatcher:SmtpTimeout");

        if (o.VirtualMtas.Count == 0)
            Error("VirtualMtas", "at least one VirtualMTA is required");
        foreach (var (name, vmta) in o.VirtualMtas)
        {
            // The name becomes part of a queue name (dispatch.<name>) and of spool file names.
            if (!IsSimpleName(name))
                Error($"VirtualMtas:{name}", "a VirtualMTA name may only hold letters, digits, '.', '_' and '-'");
            if (!StrictIp(vmta.SourceIp))
                Error($"VirtualMtas:{name}:SourceIp", $"'{vmta.SourceIp}' is not an IP address");
            if (Uri.CheckHostName(vmta.HostName) is not UriHostNameType.Dns)
                Error($"VirtualMtas:{name}:HostName", $"'{vmta.HostName}' is not a host name (it is said in EHLO)");
        }
        if (!o.Pools.ContainsKey(PipelineOptions.DefaultPool))
            Error($"Pools:{PipelineOptions.DefaultPool}", "is required: mail that names no VirtualMTA leaves through it");
        foreach (var (pool, members) in o.Pools)
        {
            if (o.VirtualMtas.ContainsKey(pool))
                Error($"Pools:{pool}", "has the name of a VirtualMTA; X-Virtual-MTA could not tell them apart");
            if (members.Count == 0)
                Error($"Pools:{pool}", "is empty");
            for (int i = 0; i < members.Count; i++)
            {
                if (!o.VirtualMtas.ContainsKey(members[i]))
                    Error($"Pools:{pool}:{i}", $"'{members[i]}' is not a VirtualMTA in VirtualMtas");
            }
        }

        foreach (var (domain, d) in o.Domains)
        {
            var key = $"Domains:{domain}";
            if (domain != PipelineOptions.WildcardDomain && Uri.CheckHostName(domain) is not UriHostNameType.Dns)
                Error(key, $"'{domain}' is not a domain name");
            if (d.MaxSmtpOut is <= 0) Error($"{key}:MaxSmtpOut", $"{d.MaxSmtpOut} must be at least 1");
            if (d.MaxMsgPerConnection is <= 0) Error($"{key}:MaxMsgPerConnection", $"{d.MaxMsgPerConnection} must be at least 1");
            if (d.MaxMsgRate is { } rate && !MessageRate.TryParse(rate, out _))
                Error($"{key}:MaxMsgRate", $"'{rate}' is not a rate like 10/s, 600/m, 1000/h or unlimited");
            CheckDuration(d.RetryAfter, $"{key}:RetryAfter");
            CheckDuration(d.BounceAfter, $"{key}:BounceAfter");
            CheckDuration(d.BackoffToNormalAfter, $"{key}:BackoffToNormalAfter");
            if (d.Route is { } route && !HostPort.TryParse(route, out _))
                Error($"{key}:Route", $"'{route}' is not host:port");
        }

        for (int i = 0; i < o.Dns.Servers.Count; i++)
        {
            if (!HostPort.TryParse(o.Dns.Servers[i], out var server, defaultPort: 53) || !StrictIp(server.Host))
                Error($"Dns:Servers:{i}", $"'{o.Dns.Servers[i]}' is not an IP address with an optional :port");
        }

        for (int i = 0; i < o.Dkim.Count; i++)
        {
            var k = o.Dkim[i];
            if (k.Domain != PipelineOptions.WildcardDomain && Uri.CheckHostName(k.Domain) is not UriHostNameType.Dns)
                Error($"Dkim:{i}:Domain", $"'{k.Domain}' is not a domain name or *");
            if (k.Domain == PipelineOptions.WildcardDomain && k.SignAllMail)
                Error($"Dkim:{i}:SignAllMail", "needs a real signing domain, not *");
            if (k.Canonicalization is not ("relaxed/relaxed" or "relaxed/simple" or "simple/relaxed" or "simple/simple" or "relaxed" or "simple"))
                Error($"Dkim:{i}:Canonicalization", $"'{k.Canonicalization}' is not relaxed/relaxed, relaxed/simple, simple/relaxed or simple/simple");
            if (string.IsNullOrWhiteSpace(k.Selector)) Error($"Dkim:{i}:Selector", "is required");
            else if (Uri.CheckHostName(k.Selector) is not UriHostNameType.Dns)
                Error($"Dkim:{i}:Selector", $"'{k.Selector}' is not a selector (DNS labels: letters, digits, '-', '.')");
            if (string.IsNullOrWhiteSpace(k.KeyFile)) Error($"Dkim:{i}:KeyFile", "is required");
            if (k.Algorithm is not ("rsa-sha256" or "ed25519-sha256"))
                Error($"Dkim:{i}:Algorithm", $"'{k.Algorithm}' is not rsa-sha256 or ed25519-sha256");
        }

        CheckDuration(o.Signer.KeyReloadInterval, "Signer:KeyReloadInterval");

        for (int i = 0; i < o.Dispatcher.Serve.Count; i++)
        {
            if (!o.VirtualMtas.ContainsKey(o.Dispatcher.Serve[i]))
                Error($"Dispatcher:Serve:{i}", $"'{o.Dispatcher.Serve[i]}' is not a VirtualMTA in VirtualMtas");
        }
        return errors;

        static bool IsSimpleName(string name) =>
            name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-') && name != "." && name != "..";

        // IPAddress.TryParse also takes legacy short forms ("53" is 0.0.0.53): an operator never means those.
        static bool StrictIp(string text) =>
            IPAddress.TryParse(text, out var ip) && (ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork || text.Count(c => c == '.') == 3);

        void CheckListen(string value, string key)
        {
            if (!HostPort.TryParseListen(value, out _)) Error(key, $"'{value}' is not ip:port");
        }
        void CheckDuration(string? value, string key)
        {
            if (value is not null && !DurationText.TryParse(value, out _)) Error(key, $"'{value}' is not a duration like 20s, 10m, 4d12h");
        }
    }
}
