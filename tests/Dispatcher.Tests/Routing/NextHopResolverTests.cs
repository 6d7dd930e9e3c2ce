using System.Net;
using Pipeline.Dispatcher.Routing;
using Pipeline.Dispatcher.Tests.Support;

namespace Pipeline.Dispatcher.Tests.Routing;

/// <summary>Against the project's dnsmasq on loopback (scripts/dns/test-domains.conf), through PIPELINE_TEST_DNS.</summary>
public sealed class NextHopResolverTests
{
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(30));

    private Task<NextHopResolution> ResolveAsync(string domain, params (string Domain, string Route)[] routes) =>
        TestPipeline.Resolver(TestPipeline.Options(null, routes)).ResolveAsync(domain, _timeout.Token);

    [Fact]
    public async Task Mx_hosts_come_in_order_of_preference_with_their_addresses()
    {
        var resolution = await ResolveAsync("example.net");

        Assert.False(resolution.PermanentFailure);
        Assert.Null(resolution.Problem);
        Assert.Collection(resolution.Hosts,
            mx1 =>
            {
                Assert.Equal("mx1.example.net", mx1.Host);
                Assert.Equal(25, mx1.Port);
                Assert.Equal([IPAddress.Parse("127.0.0.1")], mx1.Addresses);
            },
            mx2 =>
            {
                Assert.Equal("mx2.example.net", mx2.Host);
                Assert.Equal(25, mx2.Port);
                Assert.Equal([IPAddress.Parse("127.0.0.2")], mx2.Addresses);
            });
    }

    [Theory]
    [InlineData("d1.test")]
    [InlineData("d5.test")]
    [InlineData("D3.TEST")]
    public async Task Domains_sharing_an_mx_resolve_to_the_same_host(string domain)
    {
        var resolution = await ResolveAsync(domain);

        var hop = Assert.Single(resolution.Hosts);
        Assert.Equal("mx.shared.test", hop.Host);
        Assert.Equal([IPAddress.Parse("127.0.0.3")], hop.Addresses);
    }

    [Fact]
    public async Task A_domain_without_mx_falls_back_to_its_address_record()
    {
        var resolution = await ResolveAsync("nomx.test");

        Assert.False(resolution.PermanentFailure);
        var hop = Assert.Single(resolution.Hosts);
        Assert.Equal("nomx.test", hop.Host);
        Assert.Equal(25, hop.Port);
        Assert.Equal([IPAddress.Parse("127.0.0.4")], hop.Addresses);
    }

    [Fact]
    public async Task A_domain_that_does_not_exist_is_a_permanent_failure()
    {
        var resolution = await ResolveAsync("nxdomain.test");

        Assert.True(resolution.PermanentFailure);
        Assert.Empty(resolution.Hosts);
        Assert.Contains("NXDOMAIN", resolution.Problem);
    }

    [Fact]
    public async Task A_configured_route_to_an_address_wins_over_the_mx()
    {
        var resolution = await ResolveAsync("example.net", ("example.net", "127.0.0.9:2626"));

        var hop = Assert.Single(resolution.Hosts);
        Assert.Equal("127.0.0.9", hop.Host);
        Assert.Equal(2626, hop.Port);
        Assert.Equal([IPAddress.Parse("127.0.0.9")], hop.Addresses);
    }

    [Fact]
    public async Task A_configured_route_to_a_host_name_is_resolved_through_the_configured_name_servers()
    {
        var resolution = await ResolveAsync("example.net", ("example.net", "mx.shared.test:2626"));

        var hop = Assert.Single(resolution.Hosts);
        Assert.Equal("mx.shared.test", hop.Host);
        Assert.Equal(2626, hop.Port);
        Assert.Equal([IPAddress.Parse("127.0.0.3")], hop.Addresses);
    }

    [Fact]
    public async Task A_route_applies_only_to_its_own_domain()
    {
        var resolution = await ResolveAsync("example.net", ("example.org", "127.0.0.9:2626"));

        Assert.Equal(["mx1.example.net", "mx2.example.net"], resolution.Hosts.Select(h => h.Host));
    }

    [Fact]
    public async Task A_route_whose_host_has_no_address_is_transient()
    {
        var resolution = await ResolveAsync("example.net", ("example.net", "nxdomain.test:2626"));

        Assert.False(resolution.PermanentFailure);
        Assert.Empty(resolution.Hosts);
        Assert.Contains("nxdomain.test:2626", resolution.Problem);
    }
}
