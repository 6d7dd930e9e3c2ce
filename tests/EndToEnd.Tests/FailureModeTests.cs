using MailKit.Net.Smtp;
using Pipeline.EndToEnd.Tests.Infrastructure;

namespace Pipeline.EndToEnd.Tests;

/// <summary>What a service does when its broker is gone or its configuration is wrong.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class FailureModeTests
{
    /// <summary>sysexits.h EX_CONFIG, what every service exits with on bad configuration.</summary>
    private const int ConfigurationError = 78;

    [Fact]
    public async Task Ingest_answers_451_while_the_broker_is_unreachable_and_keeps_running()
    {
        // A port where no broker listens: every publish fails, none can be confirmed.
        using var config = new PipelineTestConfig(receiverPort: 9, rabbitMq: $"amqp://guest:guest@127.0.0.1:{FreePort.Next()}/");
        config.Root["Ingest"]!["Smtp"]!["PublishTimeout"] = "3s";
        await using var ingest = ServiceProcess.Start("Ingest", config.Write());
        await ingest.WaitForHttpAsync(config.IngestHttpPort, "/healthz", TimeSpan.FromSeconds(60));

        for (int i = 0; i < 2; i++)
        {
            var error = await Assert.ThrowsAsync<SmtpCommandException>(() =>
                SmtpSubmission.SendAsync(config.SmtpPort, SmtpSubmission.NewMessage($"broker down {i}")));
            Assert.Equal(451, (int)error.StatusCode);
            Assert.StartsWith("4.3.0", error.Message);
        }
        Assert.False(ingest.HasExited, "Ingest must keep running without its broker");
        // Not ready: the broker is unreachable.
        using var http = new HttpClient();
        var ready = await http.GetAsync($"http://127.0.0.1:{config.IngestHttpPort}/readyz");
        Assert.False(ready.IsSuccessStatusCode, "readyz must fail while the broker is unreachable");
    }

    [Fact]
    public async Task A_bad_configuration_value_stops_the_service_with_the_key_named()
    {
        using var config = new PipelineTestConfig(receiverPort: 9);
        config.Root["Domains"]!["*"]!["RetryAfter"] = "ten minutes";
        config.Root["VirtualMtas"]![config.VirtualMta]!["SourceIp"] = "not-an-address";
        await using var ingest = ServiceProcess.Start("Ingest", config.Write());

        Assert.Equal(ConfigurationError, await ingest.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Domains:*:RetryAfter: 'ten minutes' is not a duration", ingest.Output);
        Assert.Contains($"VirtualMtas:{config.VirtualMta}:SourceIp: 'not-an-address' is not an IP address", ingest.Output);
    }

    [Fact]
    public async Task A_configuration_file_that_is_not_json_stops_the_service()
    {
        using var config = new PipelineTestConfig(receiverPort: 9);
        var file = config.Write();
        File.WriteAllText(file, "{ \"Ingest\": { \"Smtp\": ");
        await using var dispatcher = ServiceProcess.Start("Dispatcher", file);

        Assert.Equal(ConfigurationError, await dispatcher.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("is not valid JSON", dispatcher.Output);
    }

    [Fact]
    public async Task A_missing_configuration_file_stops_the_service()
    {
        await using var bounce = ServiceProcess.Start("BounceProcessor", "/nonexistent/pipeline.json");
        Assert.Equal(ConfigurationError, await bounce.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("/nonexistent/pipeline.json not found", bounce.Output);
    }

    [Fact]
    public async Task The_signer_refuses_to_start_without_its_key_file()
    {
        using var config = new PipelineTestConfig(receiverPort: 9);
        await using var signer = ServiceProcess.Start("Signer", config.Write());
        Assert.Equal(ConfigurationError, await signer.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Dkim:0:KeyFile:", signer.Output);
        Assert.Contains("does not exist", signer.Output);
    }
}
