using System.Net;
using Pipeline.Shared.Configuration;

namespace Pipeline.Shared.Tests.Configuration;

public sealed class HostPortTests
{
    [Theory]
    [InlineData("127.0.0.1:2626", "127.0.0.1", 2626)]
    [InlineData("mx.example.com:25", "mx.example.com", 25)]
    [InlineData("[::1]:25", "::1", 25)]
    [InlineData("localhost:65535", "localhost", 65535)]
    [InlineData(" 10.0.0.1:1 ", "10.0.0.1", 1)]
    public void Parses_host_and_port(string text, string host, int port)
    {
        Assert.True(HostPort.TryParse(text, out var endPoint));
        Assert.Equal(host, endPoint.Host);
        Assert.Equal(port, endPoint.Port);
        Assert.Equal(new DnsEndPoint(host, port), HostPort.Parse(text));
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1", 53)]
    [InlineData("127.0.0.1:5353", "127.0.0.1", 5353)]
    [InlineData("ns.example.com", "ns.example.com", 53)]
    [InlineData("[::1]", "::1", 53)]
    [InlineData("[::1]:5353", "::1", 5353)]
    public void Default_port_applies_only_when_none_is_written(string text, string host, int port)
    {
        Assert.True(HostPort.TryParse(text, out var endPoint, defaultPort: 53));
        Assert.Equal(new DnsEndPoint(host, port), endPoint);
    }

    [Theory]
    [InlineData("host")]
    [InlineData("127.0.0.1")]
    [InlineData("host:0")]
    [InlineData("127.0.0.1:0")]
    [InlineData("host:70000")]
    [InlineData("127.0.0.1:70000")]
    [InlineData("host:-1")]
    [InlineData("host:port")]
    [InlineData("host:")]
    [InlineData("bad host:25")]
    [InlineData(":25")]
    [InlineData("")]
    public void Rejects_text_that_is_not_host_and_port(string text)
    {
        Assert.False(HostPort.TryParse(text, out var endPoint));
        Assert.Null(endPoint);
        Assert.Throws<FormatException>(() => HostPort.Parse(text));
    }

    [Theory]
    [InlineData("host:0")]
    [InlineData("127.0.0.1:0")]
    [InlineData("host:70000")]
    [InlineData("bad host")]
    public void Default_port_does_not_rescue_a_bad_value(string text)
    {
        Assert.False(HostPort.TryParse(text, out _, defaultPort: 53));
    }

    [Theory]
    [InlineData("0.0.0.0:2525", "0.0.0.0", 2525)]
    [InlineData("127.0.0.1:8083", "127.0.0.1", 8083)]
    [InlineData("[::]:8080", "::", 8080)]
    [InlineData("[::1]:25", "::1", 25)]
    public void Listen_address_is_an_ip_literal_and_port(string text, string address, int port)
    {
        Assert.True(HostPort.TryParseListen(text, out var endPoint));
        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port), endPoint);
    }

    [Theory]
    [InlineData("localhost:2525")]
    [InlineData("mx.example.com:25")]
    [InlineData("0.0.0.0")]
    [InlineData("0.0.0.0:0")]
    [InlineData("0.0.0.0:70000")]
    [InlineData("")]
    public void Listen_address_rejects_host_names_and_missing_ports(string text)
    {
        Assert.False(HostPort.TryParseListen(text, out var endPoint));
        Assert.Null(endPoint);
    }
}
