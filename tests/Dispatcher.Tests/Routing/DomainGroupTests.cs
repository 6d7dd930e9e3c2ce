using Pipeline.Dispatcher.Routing;

namespace Pipeline.Dispatcher.Tests.Routing;

public sealed class DomainGroupTests
{
    [Theory]
    [InlineData("gmail.com", "gmail-smtp-in.l.google.com,alt1.gmail-smtp-in.l.google.com", "google.com")]
    [InlineData("googlemail.com", "gmail-smtp-in.l.google.com", "google.com")]
    [InlineData("example-workspace.org", "aspmx.l.google.com,alt2.aspmx.l.google.com", "google.com")]
    [InlineData("hotmail.com", "hotmail-com.olc.protection.outlook.com.", "outlook.com")]
    [InlineData("shop.co.uk", "mx1.mailhost.example.co.uk", "example.co.uk")]
    [InlineData("split.test", "mx.a-provider.net,mx.b-provider.org", "a-provider.net+b-provider.org")]
    [InlineData("nomx.test", "", "nomx.test")]
    public void Domains_with_the_same_provider_share_a_group(string domain, string mxHosts, string group) =>
        Assert.Equal(group, DomainGroup.Of(domain, mxHosts.Split(',', StringSplitOptions.RemoveEmptyEntries)));
}
