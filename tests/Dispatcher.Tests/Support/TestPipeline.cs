using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Contracts;
using Pipeline.Dispatcher.Delivery;
using Pipeline.Dispatcher.Routing;
using Pipeline.Shared.Configuration;

namespace Pipeline.Dispatcher.Tests.Support;

/// <summary>Configuration and objects shared by the Dispatcher tests, built in code.</summary>
public static class TestPipeline
{
    /// <summary>The test name server: env PIPELINE_TEST_DNS, else the project's dnsmasq on 127.0.0.1:5353.</summary>
    public static string DnsServer =>
        Environment.GetEnvironmentVariable("PIPELINE_TEST_DNS") is { Length: > 0 } dns ? dns : "127.0.0.1:5353";

    /// <summary>mta1 on 127.0.0.1 and mta2 on 127.0.0.2; <paramref name="routes"/> as domain → host:port.</summary>
    public static PipelineOptions Options(string? dataDirectory = null, params (string Domain, string Route)[] routes)
    {
        var options = new PipelineOptions
        {
            VirtualMtas =
            {
                ["mta1"] = new VirtualMtaOptions { SourceIp = "127.0.0.1", HostName = "mta1.example.test" },
                ["mta2"] = new VirtualMtaOptions { SourceIp = "127.0.0.2", HostName = "mta2.example.test" },
            },
            Pools = { ["default"] = ["mta1"] },
            Dns = { Servers = [DnsServer] },
            Dispatcher = { SmtpTimeout = "30s" },
        };
        if (dataDirectory is not null) options.Dispatcher.DataDirectory = dataDirectory;
        foreach (var (domain, route) in routes)
            options.Domains[domain] = new DomainOptions { Route = route };
        return options;
    }

    public static NextHopResolver Resolver(PipelineOptions options) =>
        new(new DomainPolicies(options), NextHopResolver.CreateLookupClient(options.Dns));

    public static SmtpDeliverer Deliverer(PipelineOptions options) =>
        new(new OutboundConnector(Resolver(options), new DomainPolicies(options), options, new MxHostHealth(), NullLogger<OutboundConnector>.Instance));

    public const string DefaultContent =
        "From: Sender <sender@example.com>\r\n" +
        "To: rcpt@example.test\r\n" +
        "Subject: test\r\n" +
        "Message-ID: <m1@example.com>\r\n" +
        "\r\n" +
        "Hello.\r\n";

    public static MessageSigned Message(IReadOnlyList<string> recipients, string virtualMta = "mta1",
        DateTimeOffset? acceptedAt = null, string content = DefaultContent) => new()
    {
        MessageId = Guid.NewGuid(),
        AcceptedAt = acceptedAt ?? DateTimeOffset.UtcNow,
        MailFrom = "sender@example.com",
        Recipients = recipients,
        VirtualMta = virtualMta,
        JobId = "job-7",
        HeaderMessageId = "m1@example.com",
        Signatures = [],
        Content = Encoding.UTF8.GetBytes(content),
    };
}
