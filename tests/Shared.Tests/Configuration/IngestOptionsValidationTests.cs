using Pipeline.Shared.Configuration;

namespace Pipeline.Shared.Tests.Configuration;

/// <summary>The Ingest settings of the SMTP and HTTP front door: each bad value is reported under its key.</summary>
public sealed class IngestOptionsValidationTests
{
    private static PipelineOptions Valid() => new()
    {
        ConnectionStrings = { RabbitMq = "amqp://guest:guest@127.0.0.1:5672/" },
        VirtualMtas = { ["mta1"] = new() { SourceIp = "127.0.0.2", HostName = "mta1.example.test" } },
        Pools = { [PipelineOptions.DefaultPool] = ["mta1"] },
    };

    private static string Single(Action<PipelineOptions> change)
    {
        var o = Valid();
        change(o);
        return Assert.Single(PipelineOptionsValidator.Validate(o, requireBroker: true));
    }

    [Fact]
    public void Every_ingest_setting_given_well_is_valid()
    {
        var o = Valid();
        o.Ingest.Smtp.MaxRecipients = 100;
        o.Ingest.Smtp.MaxSessions = 50;
        o.Ingest.Smtp.MaxConnectionRatePerIp = "600/m";
        o.Ingest.Smtp.IdleTimeout = "30s";
        o.Ingest.Smtp.Suppressed = "drop";
        o.Ingest.Smtp.Users = [new() { Name = "app", PasswordHash = "pbkdf2-sha256$1000$AAAA$AAAA" }];
        o.Ingest.ListUnsubscribe = new() { Mailto = "mailto:u@example.com?subject={recipient}", Url = "https://example.com/u/{recipient}" };

        Assert.Empty(PipelineOptionsValidator.Validate(o, requireBroker: true));
    }

    [Theory]
    [InlineData("Ingest:Smtp:MaxRecipients")]
    [InlineData("Ingest:Smtp:MaxSessions")]
    [InlineData("Ingest:Smtp:MaxConnectionRatePerIp")]
    [InlineData("Ingest:Smtp:IdleTimeout")]
    [InlineData("Ingest:Smtp:Suppressed")]
    [InlineData("Ingest:Smtp:Tls:CertificateFile")]
    [InlineData("Ingest:Smtp:Users:0:PasswordHash")]
    [InlineData("Ingest:Smtp:Users:0:Name")]
    [InlineData("Ingest:ListUnsubscribe:Mailto")]
    [InlineData("Ingest:ListUnsubscribe:Url")]
    public void A_bad_value_is_reported_under_its_key(string key)
    {
        Action<PipelineOptions> change = key switch
        {
            "Ingest:Smtp:MaxRecipients" => o => o.Ingest.Smtp.MaxRecipients = 0,
            "Ingest:Smtp:MaxSessions" => o => o.Ingest.Smtp.MaxSessions = -1,
            "Ingest:Smtp:MaxConnectionRatePerIp" => o => o.Ingest.Smtp.MaxConnectionRatePerIp = "lots",
            "Ingest:Smtp:IdleTimeout" => o => o.Ingest.Smtp.IdleTimeout = "0s",
            "Ingest:Smtp:Suppressed" => o => o.Ingest.Smtp.Suppressed = "ignore",
            "Ingest:Smtp:Tls:CertificateFile" => o => o.Ingest.Smtp.Tls.CertificateFile = "/nonexistent/cert.pem",
            "Ingest:Smtp:Users:0:PasswordHash" => o => o.Ingest.Smtp.Users = [new() { Name = "app", PasswordHash = "secret" }],
            "Ingest:Smtp:Users:0:Name" => o => o.Ingest.Smtp.Users = [new() { Name = " ", PasswordHash = "pbkdf2-sha256$1$AA$AA" }],
            "Ingest:ListUnsubscribe:Mailto" => o => o.Ingest.ListUnsubscribe.Mailto = "unsubscribe@example.com",
            _ => o => o.Ingest.ListUnsubscribe.Url = "http://example.com/u",
        };

        Assert.StartsWith(key + ": ", Single(change));
    }
}
