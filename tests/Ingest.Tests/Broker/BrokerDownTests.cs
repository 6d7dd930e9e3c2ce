using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pipeline.Ingest.Tests.Support;

namespace Pipeline.Ingest.Tests.Broker;

/// <summary>Ingest pointed at a broker that is not there (a closed loopback port): it keeps running and says
/// "try again later" on every channel instead of accepting what it cannot hand over.</summary>
public sealed class BrokerDownTests : IAsyncLifetime
{
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(60));
    private IngestHost _host = null!;

    public async Task InitializeAsync()
    {
        var options = IngestHost.Options("127.0.0.0/8");
        options.Ingest.Smtp.PublishTimeout = "1s";
        _host = await IngestHost.StartAsync(options, $"amqp://guest:guest@127.0.0.1:{FreePort.Next()}/");
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _timeout.Dispose();
    }

    [Fact]
    public async Task Smtp_answers_451_4_3_0_at_the_end_of_data()
    {
        var (client, _) = await _host.ConnectAsync(_timeout.Token);
        await using var _ = client;
        Assert.Equal(250, (await client.CommandAsync("EHLO c.example.com")).Code);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<a@example.com>")).Code);
        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<b@example.net>")).Code);
        Assert.Equal(354, (await client.CommandAsync("DATA")).Code);

        var reply = await client.CommandAsync("Subject: s\r\n\r\nb\r\n.");

        Assert.Equal(451, reply.Code);
        Assert.StartsWith("4.3.0", reply.Text);
        Assert.Equal(250, (await client.CommandAsync("NOOP")).Code);
    }

    [Fact]
    public async Task Http_answers_503_with_retry_after_and_nothing_accepted()
    {
        using var http = new HttpClient { BaseAddress = _host.HttpBase };
        http.DefaultRequestHeaders.Add("X-Api-Key", IngestHost.ApiKey);

        var response = await http.PostAsJsonAsync("/api/v1/messages",
            new { from = "a@example.com", to = new[] { "b@example.net", "c@example.net" }, text = "x", batch = true }, _timeout.Token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(30), response.Headers.RetryAfter?.Delta);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(0, problem.GetProperty("accepted").GetArrayLength());
    }
}
