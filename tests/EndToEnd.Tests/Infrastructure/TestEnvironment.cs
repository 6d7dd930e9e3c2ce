namespace Pipeline.EndToEnd.Tests.Infrastructure;

/// <summary>The real services scripts/test.sh started, and loopback ports for the processes a test starts.</summary>
public static class TestEnvironment
{
    /// <summary>The broker; tests use their own virtual host so they never meet a developer's running pipeline.</summary>
    public static string RabbitMq =>
        Environment.GetEnvironmentVariable("PIPELINE_TEST_RABBITMQ") is { Length: > 0 } uri ? uri : "amqp://guest:guest@127.0.0.1:5672/pipeline-test";

    public static string Redis =>
        Environment.GetEnvironmentVariable("PIPELINE_TEST_REDIS") is { Length: > 0 } redis ? redis : "127.0.0.1:6379";

    public static string Dns =>
        Environment.GetEnvironmentVariable("PIPELINE_TEST_DNS") is { Length: > 0 } dns ? dns : "127.0.0.1:5353";

    public static string TemporaryDirectory(string prefix)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return;
            await Task.Delay(200);
        }
        throw new TimeoutException($"timed out after {timeout.TotalSeconds:0} s waiting for {what}");
    }
}
