using Pipeline.Shared.Configuration;

namespace Pipeline.Shared.Tests.Configuration;

public sealed class TelemetryOptionsValidationTests
{
    private static PipelineOptions Valid(string? otlp) => new()
    {
        ConnectionStrings = { RabbitMq = "amqp://guest:guest@127.0.0.1:5672/" },
        VirtualMtas = { ["mta1"] = new() { SourceIp = "127.0.0.2", HostName = "mta1.example.test" } },
        Pools = { [PipelineOptions.DefaultPool] = ["mta1"] },
        Telemetry = { OtlpEndpoint = otlp },
    };

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("http://127.0.0.1:4317")]
    [InlineData("https://otel.example.test:4317/")]
    public void No_collector_or_an_http_url_is_valid(string? otlp) =>
        Assert.Empty(PipelineOptionsValidator.Validate(Valid(otlp), requireBroker: true));

    [Theory]
    [InlineData("127.0.0.1:4317")]
    [InlineData("grpc://127.0.0.1:4317")]
    [InlineData("not a url")]
    public void Anything_else_is_reported_by_its_key(string otlp)
    {
        var error = Assert.Single(PipelineOptionsValidator.Validate(Valid(otlp), requireBroker: true));
        Assert.StartsWith("Telemetry:OtlpEndpoint: ", error);
        Assert.Contains(otlp, error);
    }
}
