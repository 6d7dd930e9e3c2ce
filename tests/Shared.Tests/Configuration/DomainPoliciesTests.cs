using System.Net;
using Pipeline.Shared.Configuration;

namespace Pipeline.Shared.Tests.Configuration;

public sealed class DomainPoliciesTests
{
    [Fact]
    public void Without_entries_every_domain_gets_the_built_in_policy()
    {
        var policies = new DomainPolicies(new PipelineOptions());

        Assert.Equal(DomainPolicy.BuiltIn, policies.For("gmail.com"));
    }

    [Fact]
    public void The_wildcard_entry_overlays_the_built_in_policy()
    {
        var options = new PipelineOptions
        {
            Domains = { ["*"] = new() { MaxSmtpOut = 5, MaxMsgRate = "100/h", RequireStartTls = true } },
        };

        var policy = new DomainPolicies(options).For("unknown.example");

        Assert.Equal(DomainPolicy.BuiltIn with
        {
            MaxSmtpOut = 5,
            MaxMsgRate = new MessageRate(100, TimeSpan.FromHours(1)),
            RequireStartTls = true,
        }, policy);
        Assert.NotEqual(DomainPolicy.BuiltIn, policy);
    }

    [Fact]
    public void A_domain_entry_overlays_the_wildcard_entry()
    {
        var options = new PipelineOptions
        {
            Domains =
            {
                ["*"] = new() { MaxSmtpOut = 5, RetryAfter = "20m", BounceAfter = "2d" },
                ["gmail.com"] = new() { MaxMsgPerConnection = 7, RetryAfter = "1h30m", UseStartTls = false, BackoffToNormalAfter = "1h" },
            },
        };
        var policies = new DomainPolicies(options);

        var gmail = policies.For("gmail.com");

        Assert.Equal(5, gmail.MaxSmtpOut);                             // from "*"
        Assert.Equal(TimeSpan.FromDays(2), gmail.BounceAfter);         // from "*"
        Assert.Equal(7, gmail.MaxMsgPerConnection);                    // its own
        Assert.Equal(TimeSpan.FromMinutes(90), gmail.RetryAfter);      // its own over "*"
        Assert.False(gmail.UseStartTls);                               // its own over built-in
        Assert.Equal(TimeSpan.FromHours(1), gmail.BackoffToNormalAfter);
        Assert.Equal(MessageRate.Unlimited, gmail.MaxMsgRate);         // built-in
        Assert.Equal(TimeSpan.FromMinutes(20), policies.For("yahoo.com").RetryAfter);
    }

    [Fact]
    public void An_unknown_domain_gets_the_wildcard_policy()
    {
        var options = new PipelineOptions
        {
            Domains =
            {
                ["*"] = new() { MaxSmtpOut = 9 },
                ["gmail.com"] = new() { MaxSmtpOut = 3 },
            },
        };
        var policies = new DomainPolicies(options);

        Assert.Equal(DomainPolicy.BuiltIn with { MaxSmtpOut = 9 }, policies.For("example.org"));
        Assert.Equal(9, policies.For("mail.gmail.com").MaxSmtpOut);
        Assert.Equal(3, policies.For("GMail.COM").MaxSmtpOut);
    }

    [Fact]
    public void Route_is_parsed_to_an_endpoint()
    {
        var options = new PipelineOptions
        {
            Domains =
            {
                ["example.test"] = new() { Route = "127.0.0.1:2626" },
                ["relay.test"] = new() { Route = "smarthost.example.net:587" },
            },
        };
        var policies = new DomainPolicies(options);

        Assert.Equal(new DnsEndPoint("127.0.0.1", 2626), policies.For("example.test").Route);
        Assert.Equal(new DnsEndPoint("smarthost.example.net", 587), policies.For("relay.test").Route);
        Assert.Null(policies.For("gmail.com").Route);
    }
}
