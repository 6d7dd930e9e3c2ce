using Pipeline.Shared.Configuration;

namespace Pipeline.Shared.Tests.Configuration;

public sealed class PipelineOptionsValidatorTests
{
    /// <summary>The smallest configuration a broker-connected service accepts.</summary>
    private static PipelineOptions Valid() => new()
    {
        ConnectionStrings = { RabbitMq = "amqp://guest:guest@127.0.0.1:5672/" },
        VirtualMtas = { ["mta1"] = new() { SourceIp = "127.0.0.2", HostName = "mta1.example.test" } },
        Pools = { [PipelineOptions.DefaultPool] = ["mta1"] },
    };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Minimal_configuration_is_valid(bool requireBroker)
    {
        Assert.Empty(PipelineOptionsValidator.Validate(Valid(), requireBroker));
    }

    [Fact]
    public void A_full_configuration_is_valid()
    {
        var o = Valid();
        o.ConnectionStrings.RabbitMq = "amqps://user:secret@rabbit.example.test:5671/mail";
        o.VirtualMtas["mta2"] = new() { SourceIp = "::1", HostName = "mta2.example.test" };
        o.Pools["bulk"] = ["mta1", "MTA2"];
        o.Domains["*"] = new()
        {
            MaxSmtpOut = 20, MaxMsgPerConnection = 100, MaxMsgRate = "unlimited", RetryAfter = "10m",
            BounceAfter = "4d", BackoffToNormalAfter = "1h30m", UseStartTls = true, RequireStartTls = false,
        };
        o.Domains["gmail.com"] = new() { MaxMsgRate = "600/m", Route = "[::1]:2525" };
        o.Domains["example.test"] = new() { Route = "127.0.0.1:2626" };
        o.Dns.Servers = ["127.0.0.1", "127.0.0.1:5353", "[::1]:53"];
        o.Dkim = [
            new() { Domain = "example.test", Selector = "s1", KeyFile = "k1.pem" },
            new() { Domain = "example.test", Selector = "s2", KeyFile = "k2.pem", Algorithm = "ed25519-sha256" },
            new() { Domain = "*", Selector = "default", KeyFile = "k3.pem", Canonicalization = "simple/simple" },
            new() { Domain = "esp.example", Selector = "esp.2026", KeyFile = "k4.pem", Canonicalization = "relaxed", SignAllMail = true },
        ];
        o.Signer.KeyReloadInterval = "30s";
        o.Dispatcher.Serve = ["mta2"];

        Assert.Empty(PipelineOptionsValidator.Validate(o, requireBroker: true));
    }

    [Fact]
    public void Broker_connection_string_is_only_required_when_asked_for()
    {
        var o = Valid();
        o.ConnectionStrings.RabbitMq = null;

        Assert.Empty(PipelineOptionsValidator.Validate(o, requireBroker: false));
        var error = Assert.Single(PipelineOptionsValidator.Validate(o, requireBroker: true));
        Assert.StartsWith("ConnectionStrings:RabbitMq: ", error);
    }

    /// <summary>Each case breaks one value and expects a problem reported under exactly that key.</summary>
    [Theory]
    [InlineData("ConnectionStrings:RabbitMq")]
    [InlineData("Ingest:Smtp:Listen")]
    [InlineData("Ingest:Http:Listen")]
    [InlineData("Signer:Http:Listen")]
    [InlineData("Dispatcher:Http:Listen")]
    [InlineData("BounceProcessor:Http:Listen")]
    [InlineData("Ingest:Smtp:RelayFrom:1")]
    [InlineData("Ingest:Smtp:MaxMessageBytes")]
    [InlineData("Ingest:Smtp:PublishTimeout")]
    [InlineData("Dispatcher:SmtpTimeout")]
    [InlineData("Dispatcher:Spool:FlushInterval")]
    [InlineData("Dispatcher:Spool:SegmentSize")]
    [InlineData("Dispatcher:Spool:FlushBatch")]
    [InlineData("VirtualMtas")]
    [InlineData("VirtualMtas:mta1:SourceIp")]
    [InlineData("VirtualMtas:mta1:HostName")]
    [InlineData("Pools:default")]
    [InlineData("Pools:mta1")]
    [InlineData("Pools:bulk")]
    [InlineData("Pools:default:1")]
    [InlineData("Domains:not a domain")]
    [InlineData("Domains:*:MaxSmtpOut")]
    [InlineData("Domains:*:MaxMsgPerConnection")]
    [InlineData("Domains:gmail.com:MaxMsgRate")]
    [InlineData("Domains:*:RetryAfter")]
    [InlineData("Domains:*:BounceAfter")]
    [InlineData("Domains:gmail.com:BackoffToNormalAfter")]
    [InlineData("Domains:example.test:Route")]
    [InlineData("Dns:Servers:0")]
    [InlineData("Dns:Servers:1")]
    [InlineData("Dkim:0:Domain")]
    [InlineData("Dkim:0:Selector")]
    [InlineData("Dkim:0:KeyFile")]
    [InlineData("Dkim:1:Algorithm")]
    [InlineData("Dkim:1:Selector")]
    [InlineData("Dkim:0:Canonicalization")]
    [InlineData("Dkim:0:SignAllMail")]
    [InlineData("Signer:KeyReloadInterval")]
    [InlineData("Dispatcher:Serve:0")]
    [InlineData("Domains:*:MaxConnectRate")]
    [InlineData("Domains:gmail.com:BackoffMaxMsgRate")]
    [InlineData("Domains:gmail.com:BackoffMaxSmtpOut")]
    [InlineData("Domains:gmail.com:BackoffRetryAfter")]
    [InlineData("VirtualMtas:mta1:SourceIpMaxMsgRate")]
    [InlineData("VirtualMtas:mta1:SourceIpMaxConnectRate")]
    [InlineData("VirtualMtas:mta1:SourceIpMaxSmtpOut")]
    [InlineData("VirtualMtas:mta1:WarmUp:1")]
    [InlineData("VirtualMtas:mta1:WarmUpStart")]
    [InlineData("Dispatcher:Traffic:FallbackShare")]
    [InlineData("Dispatcher:Traffic:LeaseTime")]
    [InlineData("Dispatcher:Traffic:BackoffPatterns:0")]
    [InlineData("Pools:weighted:0")]
    public void Reports_a_bad_value_under_its_key(string key)
    {
        var o = Valid();
        Break(o, key);

        var errors = PipelineOptionsValidator.Validate(o, requireBroker: true);

        Assert.Contains(errors, e => e.StartsWith(key + ": ", StringComparison.Ordinal));
    }

    private static void Break(PipelineOptions o, string key)
    {
        switch (key)
        {
            case "ConnectionStrings:RabbitMq": o.ConnectionStrings.RabbitMq = "http://127.0.0.1:5672/"; break;
            case "Ingest:Smtp:Listen": o.Ingest.Smtp.Listen = "localhost:2525"; break;
            case "Ingest:Http:Listen": o.Ingest.Http.Listen = "0.0.0.0"; break;
            case "Signer:Http:Listen": o.Signer.Http.Listen = "127.0.0.1:0"; break;
            case "Dispatcher:Http:Listen": o.Dispatcher.Http.Listen = ""; break;
            case "BounceProcessor:Http:Listen": o.BounceProcessor.Http.Listen = "127.0.0.1:99999"; break;
            case "Ingest:Smtp:RelayFrom:1": o.Ingest.Smtp.RelayFrom = ["127.0.0.0/8", "10.0.0.0/99"]; break;
            case "Ingest:Smtp:MaxMessageBytes": o.Ingest.Smtp.MaxMessageBytes = 0; break;
            case "Ingest:Smtp:PublishTimeout": o.Ingest.Smtp.PublishTimeout = "15"; break;
            case "Dispatcher:SmtpTimeout": o.Dispatcher.SmtpTimeout = "2 minutes"; break;
            case "Dispatcher:Spool:FlushInterval": o.Dispatcher.Spool.FlushInterval = "soon"; break;
            case "Dispatcher:Spool:SegmentSize": o.Dispatcher.Spool.SegmentSize = 4096; break;
            case "Dispatcher:Spool:FlushBatch": o.Dispatcher.Spool.FlushBatch = 0; break;
            case "VirtualMtas": o.VirtualMtas.Clear(); break;
            case "VirtualMtas:mta1:SourceIp": o.VirtualMtas["mta1"].SourceIp = "not-an-ip"; break;
            case "VirtualMtas:mta1:HostName": o.VirtualMtas["mta1"].HostName = "bad host"; break;
            case "Pools:default": o.Pools.Clear(); o.Pools["bulk"] = ["mta1"]; break;
            case "Pools:mta1": o.Pools["mta1"] = ["mta1"]; break;
            case "Pools:bulk": o.Pools["bulk"] = []; break;
            case "Pools:default:1": o.Pools["default"] = ["mta1", "nosuch"]; break;
            case "Domains:not a domain": o.Domains["not a domain"] = new(); break;
            case "Domains:*:MaxSmtpOut": o.Domains["*"] = new() { MaxSmtpOut = 0 }; break;
            case "Domains:*:MaxMsgPerConnection": o.Domains["*"] = new() { MaxMsgPerConnection = -1 }; break;
            case "Domains:gmail.com:MaxMsgRate": o.Domains["gmail.com"] = new() { MaxMsgRate = "fast" }; break;
            case "Domains:*:RetryAfter": o.Domains["*"] = new() { RetryAfter = "10x" }; break;
            case "Domains:*:BounceAfter": o.Domains["*"] = new() { BounceAfter = "4" }; break;
            case "Domains:gmail.com:BackoffToNormalAfter": o.Domains["gmail.com"] = new() { BackoffToNormalAfter = "-5m" }; break;
            case "Domains:example.test:Route": o.Domains["example.test"] = new() { Route = "nohost" }; break;
            case "Dns:Servers:0": o.Dns.Servers = ["x"]; break;
            case "Domains:*:MaxConnectRate": o.Domains["*"] = new() { MaxConnectRate = "often" }; break;
            case "Domains:gmail.com:BackoffMaxMsgRate": o.Domains["gmail.com"] = new() { BackoffMaxMsgRate = "0/m" }; break;
            case "Domains:gmail.com:BackoffMaxSmtpOut": o.Domains["gmail.com"] = new() { BackoffMaxSmtpOut = 0 }; break;
            case "Domains:gmail.com:BackoffRetryAfter": o.Domains["gmail.com"] = new() { BackoffRetryAfter = "later" }; break;
            case "VirtualMtas:mta1:SourceIpMaxMsgRate": o.VirtualMtas["mta1"].SourceIpMaxMsgRate = "100"; break;
            case "VirtualMtas:mta1:SourceIpMaxConnectRate": o.VirtualMtas["mta1"].SourceIpMaxConnectRate = "x/s"; break;
            case "VirtualMtas:mta1:SourceIpMaxSmtpOut": o.VirtualMtas["mta1"].SourceIpMaxSmtpOut = 0; break;
            case "VirtualMtas:mta1:WarmUp:1": o.VirtualMtas["mta1"].WarmUp = [50, 0]; o.VirtualMtas["mta1"].WarmUpStart = "2026-11-01"; break;
            case "VirtualMtas:mta1:WarmUpStart": o.VirtualMtas["mta1"].WarmUp = [50]; o.VirtualMtas["mta1"].WarmUpStart = "01/11/2026"; break;
            case "Dispatcher:Traffic:FallbackShare": o.Dispatcher.Traffic.FallbackShare = 1.5; break;
            case "Dispatcher:Traffic:LeaseTime": o.Dispatcher.Traffic.LeaseTime = "soon"; break;
            case "Pools:weighted:0": o.Pools["weighted"] = ["mta1:0"]; break;
            case "Dispatcher:Traffic:BackoffPatterns:0": o.Dispatcher.Traffic.BackoffPatterns = ["(unclosed"]; break;
            case "Dns:Servers:1": o.Dns.Servers = ["127.0.0.1", "ns.example.com:53"]; break;
            case "Dkim:0:Domain": o.Dkim = [new() { Domain = "", Selector = "s1", KeyFile = "k.pem" }]; break;
            case "Dkim:0:Selector": o.Dkim = [new() { Domain = "example.test", Selector = " ", KeyFile = "k.pem" }]; break;
            case "Dkim:0:KeyFile": o.Dkim = [new() { Domain = "example.test", Selector = "s1", KeyFile = "" }]; break;
            case "Dkim:1:Algorithm":
                o.Dkim = [
                    new() { Domain = "example.test", Selector = "s1", KeyFile = "k.pem" },
                    new() { Domain = "example.test", Selector = "s2", KeyFile = "k.pem", Algorithm = "md5" },
                ];
                break;
            case "Dkim:1:Selector":
                o.Dkim = [
                    new() { Domain = "*", Selector = "s1", KeyFile = "k.pem" },
                    new() { Domain = "example.test", Selector = "s 2", KeyFile = "k.pem" },
                ];
                break;
            case "Dkim:0:Canonicalization": o.Dkim = [new() { Domain = "example.test", Selector = "s1", KeyFile = "k.pem", Canonicalization = "loose" }]; break;
            case "Dkim:0:SignAllMail": o.Dkim = [new() { Domain = "*", Selector = "s1", KeyFile = "k.pem", SignAllMail = true }]; break;
            case "Signer:KeyReloadInterval": o.Signer.KeyReloadInterval = "often"; break;
            case "Dispatcher:Serve:0": o.Dispatcher.Serve = ["nosuch"]; break;
            default: throw new ArgumentOutOfRangeException(nameof(key), key, "no case breaks this key");
        }
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var o = Valid();
        Break(o, "VirtualMtas:mta1:SourceIp");
        Break(o, "Domains:*:RetryAfter");
        Break(o, "Dns:Servers:0");
        Break(o, "Dispatcher:Serve:0");

        var errors = PipelineOptionsValidator.Validate(o, requireBroker: false);

        Assert.Equal(
            ["VirtualMtas:mta1:SourceIp", "Domains:*:RetryAfter", "Dns:Servers:0", "Dispatcher:Serve:0"],
            errors.Select(e => e[..e.IndexOf(": ", StringComparison.Ordinal)]));
    }

    [Fact]
    public void The_problem_quotes_the_bad_value()
    {
        var o = Valid();
        o.Domains["*"] = new() { MaxMsgRate = "lots/s" };

        var error = Assert.Single(PipelineOptionsValidator.Validate(o, requireBroker: false));

        Assert.Equal("Domains:*:MaxMsgRate: 'lots/s' is not a rate like 10/s, 600/m, 1000/h or unlimited", error);
    }
}
