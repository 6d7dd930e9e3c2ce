using System.Net;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.Shared.Configuration;

namespace Pipeline.Ingest.Tests.Support;

/// <summary>The real Ingest SMTP pieces (<see cref="IngestService.AddIngest"/>) in a host of their own, on a free
/// loopback port, with MassTransit's in-memory test harness in place of RabbitMQ.</summary>
public sealed class IngestHost : IAsyncDisposable
{
    private readonly IHost _host;

    private IngestHost(IHost host, IPEndPoint endPoint)
    {
        _host = host;
        EndPoint = endPoint;
    }

    public IPEndPoint EndPoint { get; }

    public ITestHarness Harness => _host.Services.GetRequiredService<ITestHarness>();

    /// <summary>mta1 (127.0.0.1, mta1.example.test), pool default = [mta1]; <paramref name="relayFrom"/> as given.</summary>
    public static PipelineOptions Options(params string[] relayFrom) => new()
    {
        Ingest = { Smtp = { ServerName = "ingest.example.test", RelayFrom = [.. relayFrom], MaxMessageBytes = 1_000_000 } },
        VirtualMtas = { ["mta1"] = new VirtualMtaOptions { SourceIp = "127.0.0.1", HostName = "mta1.example.test" } },
        Pools = { ["default"] = ["mta1"] },
    };

    public static async Task<IngestHost> StartAsync(PipelineOptions options)
    {
        var endPoint = new IPEndPoint(IPAddress.Loopback, FreePort.Next());
        options.Ingest.Smtp.Listen = endPoint.ToString();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(options);
        builder.Services.AddIngest(options);
        builder.Services.AddMassTransitTestHarness(TextWriter.Null);
        var host = builder.Build();
        await host.StartAsync();
        return new IngestHost(host, endPoint);
    }

    /// <summary>A client that has read the greeting.</summary>
    public async Task<(SmtpLineClient Client, SmtpReply Greeting)> ConnectAsync(CancellationToken cancellation)
    {
        var client = await SmtpLineClient.ConnectAsync(EndPoint, cancellation);
        return (client, await client.ReadReplyAsync());
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
