using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.Shared.Configuration;
using Pipeline.Shared.Hosting;

namespace Pipeline.Shared.Tests.Hosting;

/// <summary>The access levels on a real Kestrel listener, reached from distinct loopback source addresses
/// (127.0.0.2 is a monitor network, 127.0.0.3 none, the rest of 127/8 admin).</summary>
public sealed class HttpAccessMiddlewareTests : IAsyncLifetime
{
    private const string AdminKey = "an-admin-key-for-tests";
    private readonly int _port = FreePort.Next();
    private WebApplication? _app;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{_port}");
        builder.Services.AddSingleton(new HttpAccessPolicy(new HttpAccessOptions
        {
            Networks =
            [
                new() { Network = "127.0.0.0/8", Level = "admin" },
                new() { Network = "127.0.0.2", Level = "monitor" },
                new() { Network = "127.0.0.3", Level = "none" },
            ],
            ApiKeys = [new() { Key = AdminKey, Level = "admin" }],
        }));
        builder.Services.AddHealthChecks().AddCheck("broker", () => HealthCheckResult.Healthy("connected to 10.1.2.3:5672"), ["ready"]);
        _app = builder.Build();
        _app.UseHttpAccess();
        _app.MapGet("/healthz", () => "ok").RequireAccess(HttpAccessLevel.None);
        _app.MapHealthChecks("/readyz", new HealthCheckOptions { ResponseWriter = ReadinessReport.WriteAsync }).RequireAccess(HttpAccessLevel.None);
        _app.MapGet("/status", () => "queues");
        _app.MapPost("/pause", () => "paused");
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }

    [Theory]
    [InlineData("127.0.0.1", "GET", "/status", HttpStatusCode.OK)]
    [InlineData("127.0.0.1", "POST", "/pause", HttpStatusCode.OK)]
    [InlineData("127.0.0.2", "GET", "/status", HttpStatusCode.OK)]
    [InlineData("127.0.0.2", "POST", "/pause", HttpStatusCode.Forbidden)]
    [InlineData("127.0.0.3", "GET", "/status", HttpStatusCode.Forbidden)]
    [InlineData("127.0.0.3", "GET", "/healthz", HttpStatusCode.OK)]
    public async Task Each_network_gets_what_its_level_allows(string source, string method, string path, HttpStatusCode expected)
    {
        using var client = ClientFrom(source);
        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.Forbidden)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var detail = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString();
            Assert.Contains(source, detail);
        }
    }

    [Fact]
    public async Task An_admin_key_works_from_a_network_with_no_access_and_a_wrong_key_gets_401()
    {
        using var client = ClientFrom("127.0.0.3");
        using var withKey = new HttpRequestMessage(HttpMethod.Post, "/pause");
        withKey.Headers.Authorization = new("Bearer", AdminKey);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(withKey)).StatusCode);

        using var wrongKey = new HttpRequestMessage(HttpMethod.Get, "/status");
        wrongKey.Headers.Add(HttpAccessPolicy.ApiKeyHeader, "not-the-admin-key");
        var refused = await client.SendAsync(wrongKey);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("HttpAccess:ApiKeys", await refused.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.0.0.2", true)]
    [InlineData("127.0.0.3", false)]
    public async Task Readiness_answers_everyone_but_names_addresses_only_to_the_monitor_level(string source, bool detailed)
    {
        using var client = ClientFrom(source);
        using var response = await client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var broker = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("checks").GetProperty("broker");
        Assert.Equal("healthy", broker.GetProperty("status").GetString());
        Assert.Equal(detailed, broker.TryGetProperty("description", out _));
    }

    /// <summary>A client whose connections leave from <paramref name="source"/>: every 127/8 address is local.</summary>
    private HttpClient ClientFrom(string source) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    }) { BaseAddress = new Uri($"http://127.0.0.1:{_port}") };
}
