using System.Net;
using Pipeline.Ingest.Smtp;
using Pipeline.Shared.Configuration;

namespace Pipeline.Ingest.Tests.Smtp;

public sealed class RelayPolicyTests
{
    private static RelayPolicy Policy(params string[] relayFrom) =>
        new(new PipelineOptions { Ingest = { Smtp = { RelayFrom = [.. relayFrom] } } });

    [Fact]
    public void A_client_inside_relay_from_may_relay()
    {
        Assert.True(Policy("127.0.0.0/8").MayRelay(IPAddress.Parse("127.0.0.5"), authenticated: false));
    }

    [Fact]
    public void A_client_outside_relay_from_is_refused()
    {
        Assert.False(Policy("127.0.0.0/8").MayRelay(IPAddress.Parse("10.1.2.3"), authenticated: false));
    }

    [Fact]
    public void Any_of_several_networks_allows()
    {
        var policy = Policy("127.0.0.0/8", "10.1.0.0/16");

        Assert.True(policy.MayRelay(IPAddress.Parse("10.1.2.3"), authenticated: false));
        Assert.False(policy.MayRelay(IPAddress.Parse("10.2.0.1"), authenticated: false));
    }

    [Fact]
    public void An_ipv4_mapped_ipv6_client_is_matched_as_ipv4()
    {
        var policy = Policy("127.0.0.0/8");

        Assert.True(policy.MayRelay(IPAddress.Parse("::ffff:127.0.0.5"), authenticated: false));
        Assert.False(policy.MayRelay(IPAddress.Parse("::ffff:10.1.2.3"), authenticated: false));
    }

    [Fact]
    public void An_ipv6_client_is_matched_against_ipv6_networks()
    {
        var policy = Policy("127.0.0.0/8", "::1/128");

        Assert.True(policy.MayRelay(IPAddress.IPv6Loopback, authenticated: false));
        Assert.False(policy.MayRelay(IPAddress.Parse("2001:db8::1"), authenticated: false));
    }

    [Fact]
    public void An_authenticated_client_may_always_relay()
    {
        var policy = Policy("127.0.0.0/8");

        Assert.True(policy.MayRelay(IPAddress.Parse("10.1.2.3"), authenticated: true));
        Assert.True(policy.MayRelay(null, authenticated: true));
    }

    [Fact]
    public void An_unknown_client_address_is_refused()
    {
        Assert.False(Policy("0.0.0.0/0").MayRelay(null, authenticated: false));
    }

    [Fact]
    public void An_empty_relay_from_refuses_every_unauthenticated_client()
    {
        Assert.False(Policy().MayRelay(IPAddress.Loopback, authenticated: false));
    }
}
