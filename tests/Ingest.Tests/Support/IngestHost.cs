using System.Net;
using MassTransit;
using MassTransit.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.Ingest.Http;
using Pipeline.Ingest.Monitor;
using Pipeline.Shared.Configuration;
using Pipeline.Shared.Messaging;

namespace Pipeline.Ingest.Tests.Support;

/// <summary>The real Ingest (<see cref="IngestService.AddIngest"/>, SMTP listener and HTTP API) in a host of its own
/// on free loopback ports; the broker is MassTransit's in-memory test harness, or a real RabbitMQ when a connection
/// string is given.</summary>
public sealed class IngestHost : IAsyncDisposable
{
    public const string ApiKey = "test-key-1";
    private readonly WebApplication _app;

    private IngestHost(WebApplication app, IPEndPoint smtp, Uri http)
    {
        _app = app;
        SmtpEndPoint = smtp;
        HttpBase = http;
    }

    public IPEndPoint SmtpEndPoint { get; }

    /// <summary>Kept for the older tests: the SMTP endpoint.</summary>
    public IPEndPoint EndPoint => SmtpEndPoint;

    public Uri HttpBase { get; }

    public IServiceProvider Services => _app.Services;

    public ITestHarness Harness => _app.Services.GetRequiredService<ITestHarness>();

    /// <summary>mta1 (127.0.0.1, mta1.example.test), pool default = [mta1]; <paramref name="relayFrom"/> as given.</summary>
    public static PipelineOptions Options(params string[] relayFrom) => new()
    {
        Ingest =
        {
            Smtp = { ServerName = "ingest.example.test", RelayFrom = [.. relayFrom], MaxMessageBytes = 1_000_000, PublishTimeout = "5s" },
            Http = { ApiKeys = [ApiKey] },
        },
        VirtualMtas = { ["mta1"] = new VirtualMtaOptions { SourceIp = "127.0.0.1", HostName = "mta1.example.test" } },
        Pools = { ["default"] = ["mta1"] },
    };

    public static async Task<IngestHost> StartAsync(PipelineOptions options, string? rabbitMq = null)
    {
        var smtp = new IPEndPoint(IPAddress.Loopback, FreePort.Next());
        var http = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        options.Ingest.Smtp.Listen = smtp.ToString();
        options.Ingest.Http.Listen = $"127.0.0.1:{http.Port}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (Environment.GetEnvironmentVariable("INGEST_TEST_LOG") is "1") builder.Logging.AddConsole();
        builder.WebHost.UseUrls(http.ToString());
        builder.Services.AddSingleton(options);
        var module = builder.Services.AddIngest(options);
        if (rabbitMq is null)
        {
            builder.Services.AddMassTransitTestHarness(TextWriter.Null, module.AddConsumers);
        }
        else
        {
            options.ConnectionStrings.RabbitMq = rabbitMq;
            builder.Services.AddPipelineBus(options, inMemory: false, module);
        }
        var app = builder.Build();
        app.MapIngestApi();
        app.MapMonitor();
        await app.StartAsync();
        return new IngestHost(app, smtp, http);
    }

    /// <summary>A client that has read the greeting.</summary>
    public async Task<(SmtpLineClient Client, SmtpReply Greeting)> ConnectAsync(CancellationToken cancellation)
    {
        var client = await SmtpLineClient.ConnectAsync(SmtpEndPoint, cancellation);
        return (client, await client.ReadReplyAsync());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
