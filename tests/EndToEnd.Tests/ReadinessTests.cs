using System.Net;
using System.Text.Json;
using Pipeline.EndToEnd.Tests.Infrastructure;

namespace Pipeline.EndToEnd.Tests;

/// <summary>/readyz names each dependency a service has (broker, Redis, spool) with its state.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class ReadinessTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_dispatcher_reports_broker_redis_and_spool_and_is_degraded_not_down_without_redis()
    {
        using var config = new PipelineTestConfig(receiverPort: 9);
        await using (var dispatcher = ServiceProcess.Start("Dispatcher", config.Write()))
        {
            await dispatcher.WaitForHttpAsync(config.DispatcherHttpPort, "/readyz", StartTimeout);
            var (status, body) = await ReadyAsync(config.DispatcherHttpPort);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("healthy", body.GetProperty("status").GetString());
            var checks = body.GetProperty("checks");
            Assert.Equal("healthy", checks.GetProperty("redis").GetProperty("status").GetString());
            Assert.Equal("healthy", checks.GetProperty("spool").GetProperty("status").GetString());
            Assert.Contains(config.VirtualMta, checks.GetProperty("spool").GetProperty("description").GetString());
            Assert.Contains(checks.EnumerateObject(), c => c.Name.Contains("bus", StringComparison.OrdinalIgnoreCase) && c.Value.GetProperty("status").GetString() == "healthy");
        }

        // Redis on a port where nothing listens: limits fall back to the worker, so it still takes mail.
        config.Root["ConnectionStrings"]!["Redis"] = $"127.0.0.1:{FreePort.Next()},connectTimeout=500";
        await using (var dispatcher = ServiceProcess.Start("Dispatcher", config.Write()))
        {
            await dispatcher.WaitForHttpAsync(config.DispatcherHttpPort, "/healthz", StartTimeout);
            var body = await WaitForAsync(config.DispatcherHttpPort, b => b.GetProperty("checks").TryGetProperty("redis", out var redis) &&
                redis.GetProperty("status").GetString() == "degraded" && b.GetProperty("status").GetString() == "degraded");
            Assert.Contains("Redis does not answer", body.GetProperty("checks").GetProperty("redis").GetProperty("description").GetString());
            Assert.Equal(HttpStatusCode.OK, (await ReadyAsync(config.DispatcherHttpPort)).Status);
        }
    }

    [Fact]
    public async Task The_bounce_processor_is_not_ready_without_redis()
    {
        using var config = new PipelineTestConfig(receiverPort: 9);
        config.Root["ConnectionStrings"]!["Redis"] = $"127.0.0.1:{FreePort.Next()},connectTimeout=500";
        await using var bounce = ServiceProcess.Start("BounceProcessor", config.Write());
        await bounce.WaitForHttpAsync(config.BounceHttpPort, "/healthz", StartTimeout);
        var body = await WaitForAsync(config.BounceHttpPort, b => b.GetProperty("checks").TryGetProperty("redis", out var redis) &&
            redis.GetProperty("status").GetString() == "unhealthy");
        Assert.Equal("unhealthy", body.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await ReadyAsync(config.BounceHttpPort)).Status);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> ReadyAsync(int port)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync($"http://127.0.0.1:{port}/readyz");
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    /// <summary>Polls /readyz until <paramref name="condition"/> holds (the bus connects, Redis fails, at their pace).</summary>
    private static async Task<JsonElement> WaitForAsync(int port, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            last = (await ReadyAsync(port)).Body;
            if (condition(last)) return last;
            await Task.Delay(250);
        }
        Assert.Fail($"/readyz never reached the expected state; last: {last}");
        return last;
    }
}
