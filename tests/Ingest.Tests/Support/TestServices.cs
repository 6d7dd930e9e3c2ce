namespace Pipeline.Ingest.Tests.Support;

/// <summary>The real services scripts/test.sh started (scripts/services.sh env).</summary>
public static class TestServices
{
    public static string RabbitMq =>
        Environment.GetEnvironmentVariable("PIPELINE_TEST_RABBITMQ") is { Length: > 0 } uri ? uri : "amqp://guest:guest@127.0.0.1:5672/pipeline-test";

    public static string Redis =>
        Environment.GetEnvironmentVariable("PIPELINE_TEST_REDIS") is { Length: > 0 } redis ? redis : "127.0.0.1:6379";
}
