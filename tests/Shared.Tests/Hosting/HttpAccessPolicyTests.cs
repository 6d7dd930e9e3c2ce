using System.Net;
using Pipeline.Shared.Configuration;
using Pipeline.Shared.Hosting;

namespace Pipeline.Shared.Tests.Hosting;

public class HttpAccessPolicyTests
{
    [Theory]
    [InlineData("127.0.0.1", HttpAccessLevel.Admin)]
    [InlineData("127.5.6.7", HttpAccessLevel.Admin)]
    [InlineData("::1", HttpAccessLevel.Admin)]
    [InlineData("::ffff:127.0.0.1", HttpAccessLevel.Admin)]
    [InlineData("10.1.2.3", HttpAccessLevel.None)]
    [InlineData("2001:db8::1", HttpAccessLevel.None)]
    public void The_shipped_default_gives_loopback_admin_and_everyone_else_none(string client, HttpAccessLevel expected) =>
        Assert.Equal(expected, new HttpAccessPolicy(new HttpAccessOptions()).LevelOf(IPAddress.Parse(client)));

    [Fact]
    public void The_most_specific_network_wins_whatever_the_order()
    {
        var policy = new HttpAccessPolicy(new HttpAccessOptions
        {
            Networks =
            [
                new() { Network = "0.0.0.0/0", Level = "none" },
                new() { Network = "10.0.0.0/8", Level = "monitor" },
                new() { Network = "10.9.9.9", Level = "admin" },
                new() { Network = "10.1.0.0/16", Level = "none" },
            ],
        });
        Assert.Equal(HttpAccessLevel.Admin, policy.LevelOf(IPAddress.Parse("10.9.9.9")));
        Assert.Equal(HttpAccessLevel.Monitor, policy.LevelOf(IPAddress.Parse("10.9.9.8")));
        Assert.Equal(HttpAccessLevel.None, policy.LevelOf(IPAddress.Parse("10.1.2.3")));
        Assert.Equal(HttpAccessLevel.None, policy.LevelOf(IPAddress.Parse("192.0.2.1")));
        // Configured networks replace the default: loopback is not admin unless a rule says so.
        Assert.Equal(HttpAccessLevel.None, policy.LevelOf(IPAddress.Loopback));
    }

    [Fact]
    public void An_api_key_has_its_own_level_and_an_unknown_key_has_none()
    {
        var policy = new HttpAccessPolicy(new HttpAccessOptions
        {
            ApiKeys = [new() { Key = "admin-key-0123456789", Level = "admin" }, new() { Key = "monitor-key-0123456789", Level = "monitor" }],
        });
        Assert.Equal(HttpAccessLevel.Admin, policy.LevelOfKey("admin-key-0123456789"));
        Assert.Equal(HttpAccessLevel.Monitor, policy.LevelOfKey("monitor-key-0123456789"));
        Assert.Null(policy.LevelOfKey("admin-key-012345678"));
        Assert.Null(policy.LevelOfKey(""));
    }

    [Fact]
    public void Bad_networks_levels_and_keys_are_named_by_their_key()
    {
        var options = new PipelineOptions();
        options.VirtualMtas["mta1"] = new VirtualMtaOptions { SourceIp = "127.0.0.1", HostName = "mta1.example.test" };
        options.Pools["default"] = ["mta1"];
        options.HttpAccess.Networks.Add(new() { Network = "10.0.0.0/33", Level = "admin" });
        options.HttpAccess.Networks.Add(new() { Network = "10.0.0.0/8", Level = "root" });
        options.HttpAccess.ApiKeys.Add(new() { Key = "short", Level = "none" });
        var errors = PipelineOptionsValidator.Validate(options, requireBroker: false);
        Assert.Contains(errors, e => e.StartsWith("HttpAccess:Networks:0:Network:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("HttpAccess:Networks:1:Level:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("HttpAccess:ApiKeys:0:Key:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("HttpAccess:ApiKeys:0:Level:", StringComparison.Ordinal));
    }
}
