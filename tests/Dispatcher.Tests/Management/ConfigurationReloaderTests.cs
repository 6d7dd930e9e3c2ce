using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Dispatcher.Management;
using Pipeline.Dispatcher.Routing;
using Pipeline.Dispatcher.Spool;
using Pipeline.Shared.Configuration;

namespace Pipeline.Dispatcher.Tests.Management;

/// <summary>Reload: a changed file's domain and VirtualMTA limits reach the running objects; a bad file changes
/// nothing and names the key; work that waited only for the old rate is looked at again.</summary>
public sealed class ConfigurationReloaderTests : IAsyncLifetime
{
    private readonly TempDirectory _folder = new();
    private JsonObject _root = null!;
    private string _path = null!;
    private PipelineOptions _options = null!;
    private DomainPolicies _policies = null!;
    private ManagementHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _root = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "config", "pipeline.json")))!.AsObject();
        _root["Domains"]!["example.test"] = new JsonObject { ["Route"] = "127.0.0.1:2626", ["MaxMsgRate"] = "1/m", ["MaxSmtpOut"] = 2 };
        _root["VirtualMtas"]!["mta1"]!["SourceIpMaxMsgRate"] = "100/s";
        _path = Write();
        _options = PipelineConfiguration.Load(_path, requireBroker: true).Options;
        _policies = new DomainPolicies(_options);
        _harness = await ManagementHarness.StartAsync(Path.Combine(_folder.Path, "data"));
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        _folder.Dispose();
    }

    private string Write() => _folder.WriteFile("pipeline.json", _root.ToJsonString());

    private ConfigurationReloader Reloader() =>
        new(_options, _policies, new DomainGroups(Support.TestPipeline.Resolver(_options), _policies, _harness.Clock), _harness.Spools,
            new ReloadSettings(RequireBroker: true), NullLogger<ConfigurationReloader>.Instance);

    [Fact]
    public void A_VirtualMta_whose_SourceIp_changed_is_left_as_it_runs_until_the_restart()
    {
        _root["VirtualMtas"]!["mta1"]!["SourceIp"] = "127.0.0.9";
        _root["VirtualMtas"]!["mta1"]!["HostName"] = "renamed.example.test";
        _root["VirtualMtas"]!["mta1"]!["SourceIpMaxMsgRate"] = "5/s";
        Write();

        var result = Reloader().Reload(_path);

        Assert.Empty(result.Applied);
        Assert.Equal(["VirtualMtas:mta1:SourceIp"], result.RestartNeeded);
        Assert.Equal("127.0.0.1", _options.VirtualMtas["mta1"].SourceIp);
        Assert.Equal("mta1.example.test", _options.VirtualMtas["mta1"].HostName);
        Assert.Equal("100/s", _options.VirtualMtas["mta1"].SourceIpMaxMsgRate);
    }

    [Fact]
    public void Changed_domain_and_VirtualMta_limits_reach_the_running_policies_and_options()
    {
        Assert.Equal(MessageRate.Parse("1/m"), _policies.For("example.test").MaxMsgRate);
        _root["Domains"]!["example.test"]!["MaxMsgRate"] = "unlimited";
        _root["Domains"]!["example.test"]!["MaxSmtpOut"] = 7;
        _root["Domains"]!["gmail.com"] = new JsonObject { ["RetryAfter"] = "3m" };
        _root["VirtualMtas"]!["mta1"]!["SourceIpMaxMsgRate"] = "5/s";
        Write();

        var result = Reloader().Reload(_path);

        Assert.Equal(["Domains", "VirtualMtas:mta1"], result.Applied);
        Assert.Empty(result.RestartNeeded);
        Assert.True(_policies.For("example.test").MaxMsgRate.IsUnlimited);
        Assert.Equal(7, _policies.For("example.test").MaxSmtpOut);
        Assert.Equal(TimeSpan.FromMinutes(3), _policies.For("gmail.com").RetryDelay(1));
        Assert.Equal("5/s", _options.VirtualMtas["mta1"].SourceIpMaxMsgRate);
        Assert.True(_options.Domains.ContainsKey("gmail.com"));
    }

    [Fact]
    public void A_bad_file_is_refused_naming_the_key_and_the_running_configuration_stays()
    {
        _root["Domains"]!["example.test"]!["MaxMsgRate"] = "unlimited";
        _root["Domains"]!["example.test"]!["RetryAfter"] = "ten minutes";
        Write();

        var error = Assert.Throws<PipelineConfigurationException>(() => Reloader().Reload(_path));

        Assert.Contains("Domains:example.test:RetryAfter", error.Message);
        Assert.Equal(MessageRate.Parse("1/m"), _policies.For("example.test").MaxMsgRate);
        Assert.Equal("1/m", _options.Domains["example.test"].MaxMsgRate);
    }

    [Fact]
    public void Sections_the_Dispatcher_cannot_change_running_are_reported_as_needing_a_restart()
    {
        _root["VirtualMtas"]!["mta2"] = new JsonObject { ["SourceIp"] = "127.0.0.2", ["HostName"] = "mta2.example.test" };
        _root["Dns"] = new JsonObject { ["Servers"] = new JsonArray("127.0.0.1:53") };
        Write();

        var result = Reloader().Reload(_path);

        Assert.Empty(result.Applied);
        Assert.Equal(["VirtualMtas:mta2 (added)", "Dns"], result.RestartNeeded);
        Assert.False(_options.VirtualMtas.ContainsKey("mta2"));
    }

    [Fact]
    public async Task Work_postponed_by_the_old_rate_is_due_again_after_a_reload_retried_work_is_not()
    {
        var spool = _harness.Spool;
        await spool.StoreAsync(Support.TestPipeline.Message(["a@example.test", "b@example.test"], acceptedAt: _harness.Clock.GetUtcNow()), CancellationToken.None);
        var taken = spool.TakeDue(10).SelectMany(w => w.Recipients).ToDictionary(r => r.Address);
        var later = _harness.Clock.GetUtcNow().AddMinutes(1).UtcTicks;
        await spool.CompleteAsync([
            new RecipientCompletion(taken["a@example.test"].Handle, new RecipientStatus(RecipientState.Deferred, 0, later)),
            new RecipientCompletion(taken["b@example.test"].Handle, new RecipientStatus(RecipientState.Deferred, 1, later))], CancellationToken.None);
        _root["Domains"]!["example.test"]!["MaxMsgRate"] = "unlimited";
        Write();

        var result = Reloader().Reload(_path);

        Assert.Equal(1, result.RecipientsDueAgain);
        Assert.Equal(["a@example.test"], spool.TakeDue(10).SelectMany(w => w.Recipients).Select(r => r.Address));
    }
}
