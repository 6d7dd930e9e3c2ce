using Pipeline.Shared.Configuration;

namespace Pipeline.Shared.Tests.Configuration;

/// <summary>Loading the file the way a service does: JSON, environment overrides, binding and validation.</summary>
public sealed class PipelineConfigurationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private const string ValidWithoutBroker = """
        {
          "VirtualMtas": { "mta1": { "SourceIp": "127.0.0.1", "HostName": "mta1.example.test" } },
          "Pools": { "default": ["mta1"] }
        }
        """;

    [Fact]
    public void The_shipped_configuration_loads_cleanly()
    {
        var path = Path.Combine(RepositoryRoot.Path, "config", "pipeline.json");

        var (configuration, options) = PipelineConfiguration.Load(path, requireBroker: true);

        Assert.Equal("amqp://guest:guest@127.0.0.1:5672/", configuration["ConnectionStrings:RabbitMq"]);
        Assert.Equal("127.0.0.1:2626", options.Domains["example.test"].Route);
        Assert.Equal(20, options.Domains["*"].MaxSmtpOut);
        Assert.Equal(["mta1"], options.Pools[PipelineOptions.DefaultPool]);
        var key = Assert.Single(options.Dkim);
        Assert.Equal(("example.test", "s1", "rsa-sha256"), (key.Domain, key.Selector, key.Algorithm));
        Assert.Empty(PipelineOptionsValidator.Validate(options, requireBroker: true));
    }

    [Fact]
    public void Every_problem_in_the_file_is_named_by_its_key()
    {
        var path = _dir.WriteFile("bad.json", """
            {
              "VirtualMtas": { "mta1": { "SourceIp": "not-an-ip", "HostName": "mta1.example.test" } },
              "Pools": { "default": ["nosuch"] },
              "Domains": {
                "*": { "RetryAfter": "10x" },
                "example.test": { "Route": "nohost" }
              },
              "Dns": { "Servers": ["x"] },
              "Dkim": [ { "Domain": "example.test", "Selector": "s1", "KeyFile": "k.pem", "Algorithm": "md5" } ]
            }
            """);

        var e = Assert.Throws<PipelineConfigurationException>(() => PipelineConfiguration.Load(path, requireBroker: true));

        Assert.Contains(path, e.Message);
        Assert.Contains("7 problem(s)", e.Message);
        foreach (var key in new[]
                 {
                     "ConnectionStrings:RabbitMq", "VirtualMtas:mta1:SourceIp", "Pools:default:0", "Domains:*:RetryAfter",
                     "Domains:example.test:Route", "Dns:Servers:0", "Dkim:0:Algorithm",
                 })
        {
            Assert.Contains(key + ": ", e.Message);
        }
    }

    [Fact]
    public void Invalid_json_is_reported_as_such()
    {
        var path = _dir.WriteFile("syntax.json", """{ "Pools": { "default": ["mta1" } }""");

        var e = Assert.Throws<PipelineConfigurationException>(() => PipelineConfiguration.Load(path, requireBroker: false));

        Assert.Contains("not valid JSON", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void A_missing_file_is_reported_as_not_found()
    {
        var path = Path.Combine(_dir.Path, "absent.json");

        var e = Assert.Throws<PipelineConfigurationException>(() => PipelineConfiguration.Load(path, requireBroker: false));

        Assert.Contains("not found", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_named_by_its_key()
    {
        var path = _dir.WriteFile("type.json", """
            {
              "VirtualMtas": { "mta1": { "SourceIp": "127.0.0.1", "HostName": "mta1.example.test" } },
              "Pools": { "default": ["mta1"] },
              "Domains": { "*": { "MaxSmtpOut": "lots" } }
            }
            """);

        // The configuration binder swallows conversion errors inside dictionaries and lists (it drops the whole
        // "*" entry and carries on), so this only passes if PipelineConfiguration checks such values itself.
        var e = Assert.Throws<PipelineConfigurationException>(() => PipelineConfiguration.Load(path, requireBroker: false));

        Assert.Contains("Domains:*:MaxSmtpOut", e.Message);
    }

    [Fact]
    public void A_value_of_the_wrong_type_outside_a_dictionary_is_named_by_its_key()
    {
        var path = _dir.WriteFile("type-scalar.json", """
            {
              "VirtualMtas": { "mta1": { "SourceIp": "127.0.0.1", "HostName": "mta1.example.test" } },
              "Pools": { "default": ["mta1"] },
              "Ingest": { "Smtp": { "MaxMessageBytes": "big" } }
            }
            """);

        var e = Assert.Throws<PipelineConfigurationException>(() => PipelineConfiguration.Load(path, requireBroker: false));

        Assert.Contains("Ingest:Smtp:MaxMessageBytes", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Broker_is_not_required_of_the_standalone_host()
    {
        var path = _dir.WriteFile("standalone.json", ValidWithoutBroker);

        var (_, options) = PipelineConfiguration.Load(path, requireBroker: false);

        Assert.Null(options.ConnectionStrings.RabbitMq);
        var e = Assert.Throws<PipelineConfigurationException>(() => PipelineConfiguration.Load(path, requireBroker: true));
        Assert.Contains("ConnectionStrings:RabbitMq: ", e.Message);
    }

    [Fact]
    public void Names_from_the_file_are_looked_up_without_regard_to_case()
    {
        var path = _dir.WriteFile("case.json", """
            {
              "VirtualMtas": { "Mta1": { "SourceIp": "127.0.0.1", "HostName": "mta1.example.test" } },
              "Pools": { "Default": ["MTA1"] },
              "Domains": { "Example.Test": { "MaxSmtpOut": 2 } }
            }
            """);

        var (_, options) = PipelineConfiguration.Load(path, requireBroker: false);

        Assert.True(options.VirtualMtas.ContainsKey("mta1"));
        Assert.True(options.Pools.ContainsKey(PipelineOptions.DefaultPool));
        Assert.Equal(2, options.Domains["example.test"].MaxSmtpOut);
    }

    [Fact]
    public void Environment_variables_override_the_file()
    {
        // Environment variables are process-wide: a domain no other test uses, removed again in finally.
        var domain = $"env-{Guid.NewGuid():N}.test";
        var path = _dir.WriteFile("env.json", $$"""
            {
              "VirtualMtas": { "mta1": { "SourceIp": "127.0.0.1", "HostName": "mta1.example.test" } },
              "Pools": { "default": ["mta1"] },
              "Domains": { "{{domain}}": { "MaxSmtpOut": 50, "MaxMsgPerConnection": 7 } }
            }
            """);
        var variable = $"Domains__{domain}__MaxSmtpOut";
        Environment.SetEnvironmentVariable(variable, "3");
        try
        {
            var (configuration, options) = PipelineConfiguration.Load(path, requireBroker: false);

            Assert.Equal("3", configuration[$"Domains:{domain}:MaxSmtpOut"]);
            Assert.Equal(3, options.Domains[domain].MaxSmtpOut);
            Assert.Equal(7, options.Domains[domain].MaxMsgPerConnection);
            Assert.Equal(3, new DomainPolicies(options).For(domain).MaxSmtpOut);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public void A_bad_environment_override_is_named_by_its_key()
    {
        var domain = $"env-{Guid.NewGuid():N}.test";
        var path = _dir.WriteFile("env-bad.json", ValidWithoutBroker);
        var variable = $"Domains__{domain}__MaxMsgRate";
        Environment.SetEnvironmentVariable(variable, "fast");
        try
        {
            var e = Assert.Throws<PipelineConfigurationException>(() => PipelineConfiguration.Load(path, requireBroker: false));

            Assert.Contains($"Domains:{domain}:MaxMsgRate: 'fast'", e.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }
}
