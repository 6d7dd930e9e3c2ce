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
        for (int i = 0; i < o.HttpAccess.Networks.Count; i++)
        {
            var rule = o.HttpAccess.Networks[i];
            if (!Hosting.HttpAccessPolicy.TryParseNetwork(rule.Network, out _))
                Error($"HttpAccess:Networks:{i}:Network", $"'{rule.Network}' is not a network like 10.0.0.0/8 or an address");
            if (!Hosting.HttpAccessLevels.TryParse(rule.Level, out _))
                Error($"HttpAccess:Networks:{i}:Level", $"'{rule.Level}' is not one of none, monitor, admin");
        }
        for (int i = 0; i < o.HttpAccess.ApiKeys.Count; i++)
        {
            var key = o.HttpAccess.ApiKeys[i];
            if (key.Key.Length < 16)
                Error($"HttpAccess:ApiKeys:{i}:Key", "an access key must be at least 16 characters long");
            if (!Hosting.HttpAccessLevels.TryParse(key.Level, out var level) || level == Hosting.HttpAccessLevel.None)
                Error($"HttpAccess:ApiKeys:{i}:Level", $"'{key.Level}' is not one of monitor, admin");
        }
        if (o.Ingest.Smtp.MaxMessageBytes is <= 0 or > int.MaxValue)
            Error("Ingest:Smtp:MaxMessageBytes", $"{o.Ingest.Smtp.MaxMessageBytes} must be between 1 and {int.MaxValue}");
        CheckDuration(o.Ingest.Smtp.PublishTimeout, "Ingest:Smtp:PublishTimeout");
        CheckIngest(o.Ingest, Error);
        CheckDuration(o.Dispatcher.SmtpTimeout, "Dispatcher:SmtpTimeout");
        CheckDuration(o.Dispatcher.Spool.FlushInterval, "Dispatcher:Spool:FlushInterval");
        if (o.Dispatcher.Spool.SegmentSize is < SpoolOptions.MinSegmentSize or > SpoolOptions.MaxSegmentSize)
            Error("Dispatcher:Spool:SegmentSize", $"{o.Dispatcher.Spool.SegmentSize} must be between {SpoolOptions.MinSegmentSize} and {SpoolOptions.MaxSegmentSize} bytes");
        if (o.Dispatcher.Spool.FlushBatch is < 1 or > 1_000_000)
            Error("Dispatcher:Spool:FlushBatch", $"{o.Dispatcher.Spool.FlushBatch} must be between 1 and 1000000 records");
        CheckDuration(o.BounceProcessor.SentRetention, "BounceProcessor:SentRetention");
        if (o.BounceProcessor.RulesFile is { Length: > 0 } rules && !File.Exists(rules))
            Error("BounceProcessor:RulesFile", $"'{rules}' does not exist");
        if (o.Bounce.Verp && Uri.CheckHostName(o.Bounce.ReturnPathDomain) is not UriHostNameType.Dns)
            Error("Bounce:ReturnPathDomain", $"'{o.Bounce.ReturnPathDomain}' is not a domain name (required with Bounce:Verp)");
        if (o.Bounce.FblAddress is { Length: > 0 } fbl && !fbl.Contains('@'))
            Error("Bounce:FblAddress", $"'{fbl}' is not an address");
        if (o.Telemetry.OtlpEndpoint is { Length: > 0 } otlp
            && (!Uri.TryCreate(otlp, UriKind.Absolute, out var collector) || collector.Scheme is not ("http" or "https") || string.IsNullOrEmpty(collector.Host)))
            Error("Telemetry:OtlpEndpoint", $"'{otlp}' is not an http:// or https:// URL of an OTLP collector (like http://127.0.0.1:4317)");

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
            CheckRate(vmta.SourceIpMaxMsgRate, $"VirtualMtas:{name}:SourceIpMaxMsgRate");
            CheckRate(vmta.SourceIpMaxConnectRate, $"VirtualMtas:{name}:SourceIpMaxConnectRate");
            if (vmta.SourceIpMaxSmtpOut is <= 0) Error($"VirtualMtas:{name}:SourceIpMaxSmtpOut", $"{vmta.SourceIpMaxSmtpOut} must be at least 1");
            for (int i = 0; i < vmta.WarmUp.Count; i++)
            {
                if (vmta.WarmUp[i] <= 0) Error($"VirtualMtas:{name}:WarmUp:{i}", $"{vmta.WarmUp[i]} must be at least 1 message a day");
            }
            if (vmta.WarmUp.Count > 0 && !DateOnly.TryParseExact(vmta.WarmUpStart, "yyyy-MM-dd", out _))
                Error($"VirtualMtas:{name}:WarmUpStart", $"'{vmta.WarmUpStart}' is not a date like 2026-11-01 (required with WarmUp)");
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
                if (!PoolMember.TryParse(members[i], out var member))
                    Error($"Pools:{pool}:{i}", $"'{members[i]}' is not a VirtualMTA name with an optional :weight (1 to 1000)");
                else if (!o.VirtualMtas.ContainsKey(member.VirtualMta))
                    Error($"Pools:{pool}:{i}", $"'{member.VirtualMta}' is not a VirtualMTA in VirtualMtas");
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
            if (d.RetryAfter is { } retry && !DurationText.TryParseSchedule(retry, out _))
                Error($"{key}:RetryAfter", $"'{retry}' is not a duration or a schedule like 5m,15m,1h");
            CheckRate(d.MaxConnectRate, $"{key}:MaxConnectRate");
            CheckRate(d.BackoffMaxMsgRate, $"{key}:BackoffMaxMsgRate");
            if (d.BackoffMaxSmtpOut is <= 0) Error($"{key}:BackoffMaxSmtpOut", $"{d.BackoffMaxSmtpOut} must be at least 1");
            CheckDuration(d.BackoffRetryAfter, $"{key}:BackoffRetryAfter");
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

        if (o.Dispatcher.Traffic.FallbackShare is <= 0 or > 1)
            Error("Dispatcher:Traffic:FallbackShare", $"{o.Dispatcher.Traffic.FallbackShare} must be more than 0 and at most 1");
        CheckDuration(o.Dispatcher.Traffic.LeaseTime, "Dispatcher:Traffic:LeaseTime");
        for (int i = 0; i < o.Dispatcher.Traffic.BackoffPatterns.Count; i++)
        {
            try
            {
                _ = new System.Text.RegularExpressions.Regex(o.Dispatcher.Traffic.BackoffPatterns[i]);
            }
            catch (ArgumentException e)
            {
                Error($"Dispatcher:Traffic:BackoffPatterns:{i}", $"not a regular expression: {e.Message}");
            }
        }
        CheckDuration(o.Signer.KeyReloadInterval, "Signer:KeyReloadInterval");
        CheckMonitor(o, Error);

        for (int i = 0; i < o.Dispatcher.Serve.Count; i++)
        {
            if (!o.VirtualMtas.ContainsKey(o.Dispatcher.Serve[i]))
                Error($"Dispatcher:Serve:{i}", $"'{o.Dispatcher.Serve[i]}' is not a VirtualMTA in VirtualMtas");
        }
        return errors;

        static void CheckIngest(IngestOptions ingest, Action<string, string> error)
        {
            var smtp = ingest.Smtp;
            if (smtp.MaxRecipients <= 0) error("Ingest:Smtp:MaxRecipients", $"{smtp.MaxRecipients} must be at least 1");
            if (smtp.MaxSessions <= 0) error("Ingest:Smtp:MaxSessions", $"{smtp.MaxSessions} must be at least 1");
            if (!MessageRate.TryParse(smtp.MaxConnectionRatePerIp, out _))
                error("Ingest:Smtp:MaxConnectionRatePerIp", $"'{smtp.MaxConnectionRatePerIp}' is not a rate like 10/s, 600/m or unlimited");
            if (!DurationText.TryParse(smtp.IdleTimeout, out var idle) || idle <= TimeSpan.Zero)
                error("Ingest:Smtp:IdleTimeout", $"'{smtp.IdleTimeout}' is not a duration like 20s, 5m");
            if (smtp.Suppressed is not ("refuse" or "drop" or "off"))
                error("Ingest:Smtp:Suppressed", $"'{smtp.Suppressed}' is not refuse, drop or off");
            if (smtp.Tls.CertificateFile is { Length: > 0 } cert && !File.Exists(cert))
                error("Ingest:Smtp:Tls:CertificateFile", $"'{cert}' does not exist");
            if (smtp.Tls.KeyFile is { Length: > 0 } key && !File.Exists(key))
                error("Ingest:Smtp:Tls:KeyFile", $"'{key}' does not exist");
            for (int i = 0; i < smtp.Users.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(smtp.Users[i].Name)) error($"Ingest:Smtp:Users:{i}:Name", "is required");
                if (smtp.Users[i].PasswordHash.Split('$') is not ["pbkdf2-sha256", _, _, _])
                    error($"Ingest:Smtp:Users:{i}:PasswordHash", "is not pbkdf2-sha256$iterations$salt$hash (make one with `dotnet run --project src/Ingest -- hash-password`)");
            }
            var unsubscribe = ingest.ListUnsubscribe;
            if (unsubscribe.Mailto is { Length: > 0 } mailto && !mailto.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
                error("Ingest:ListUnsubscribe:Mailto", $"'{mailto}' does not start with mailto:");
            if (unsubscribe.Url is { Length: > 0 } url && !url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
                error("Ingest:ListUnsubscribe:Url", $"'{url}' is not an https:// URL (RFC 8058 one-click needs HTTPS)");
        }

        static void CheckMonitor(PipelineOptions o, Action<string, string> error)
        {
            if (!DurationText.TryParse(o.Dispatcher.StatusInterval, out var interval) || interval < TimeSpan.FromMilliseconds(100))
                error("Dispatcher:StatusInterval", $"'{o.Dispatcher.StatusInterval}' is not a duration of at least 100ms like 5s");
            if (o.Dispatcher.InstanceName is { Length: > 0 } instance && !IsSimpleName(instance))
                error("Dispatcher:InstanceName", "may only hold letters, digits, '.', '_' and '-'");
            if (string.IsNullOrWhiteSpace(o.Monitor.RedisPrefix)) error("Monitor:RedisPrefix", "is required (e.g. pipeline:status:)");
            if (o.Monitor.RecentEvents is < 1 or > 10_000) error("Monitor:RecentEvents", $"{o.Monitor.RecentEvents} must be between 1 and 10000");
            if (o.Monitor.RateMinutes is < 1 or > 120) error("Monitor:RateMinutes", $"{o.Monitor.RateMinutes} must be between 1 and 120 (minute buckets live 2h)");
            if (!DurationText.TryParse(o.Monitor.Refresh, out var refresh) || refresh < TimeSpan.FromSeconds(1))
                error("Monitor:Refresh", $"'{o.Monitor.Refresh}' is not a duration of at least 1s like 3s");
            if (o.Log.Level is { Length: > 0 } level && !Enum.TryParse<Serilog.Events.LogEventLevel>(level, ignoreCase: true, out _))
                error("Log:Level", $"'{level}' is not one of Verbose, Debug, Information, Warning, Error, Fatal");
            if (o.Log.Directory is { Length: > 0 } logs && File.Exists(logs))
                error("Log:Directory", $"'{logs}' is a file, not a folder for the log files");
            if (!RetentionText.TryParse(o.Log.Retention, out _))
                error("Log:Retention", $"'{o.Log.Retention}' is not a number of days like 30d, or 0 to keep log files forever");
            if (!RetentionText.TryParse(o.BounceProcessor.AccountingRetention, out _))
                error("BounceProcessor:AccountingRetention", $"'{o.BounceProcessor.AccountingRetention}' is not a number of days like 90d, or 0 to keep accounting files forever");
        }

        static bool IsSimpleName(string name) =>
            name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-') && name != "." && name != "..";

        // IPAddress.TryParse also takes legacy short forms ("53" is 0.0.0.53): an operator never means those.
        static bool StrictIp(string text) =>
            IPAddress.TryParse(text, out var ip) && (ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork || text.Count(c => c == '.') == 3);

        void CheckListen(string value, string key)
        {
            if (!HostPort.TryParseListen(value, out _)) Error(key, $"'{value}' is not ip:port");
        }
        void CheckRate(string? value, string key)
        {
            if (value is not null && !MessageRate.TryParse(value, out _)) Error(key, $"'{value}' is not a rate like 10/s, 600/m, 1000/h or unlimited");
        }
        void CheckDuration(string? value, string key)
        {
            if (value is not null && !DurationText.TryParse(value, out _)) Error(key, $"'{value}' is not a duration like 20s, 10m, 4d12h");
        }
    }
}
