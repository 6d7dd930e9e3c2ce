using System.Diagnostics.Metrics;
using System.Text;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.Contracts;
using Pipeline.Shared.Configuration;
using Pipeline.Signer.Consumers;
using Pipeline.Signer.Tests.Support;

namespace Pipeline.Signer.Tests.Telemetry;

/// <summary>The real Signer (AddSigner) on the in-memory harness counts the messages it signed and each signature by
/// algorithm; a message whose domain has no key is passed on unsigned and not counted as signed.</summary>
public sealed class SignerMetricsTests(SigningKeys keys) : IClassFixture<SigningKeys>
{
    private static MessageAccepted Accepted(string from) => new()
    {
        MessageId = Guid.NewGuid(),
        AcceptedAt = DateTimeOffset.UtcNow,
        MailFrom = from,
        Recipients = ["user@example.net"],
        Channel = "smtp",
        Content = Encoding.ASCII.GetBytes($"From: <{from}>\r\nTo: user@example.net\r\nSubject: hello\r\n\r\nBody\r\n"),
    };

    [Fact]
    public async Task Signed_messages_and_their_signatures_by_algorithm_are_counted()
    {
        var options = new PipelineOptions
        {
            VirtualMtas = { ["mta1"] = new VirtualMtaOptions { SourceIp = "127.0.0.1", HostName = "mta1.example.test" } },
            Pools = { ["default"] = ["mta1"] },
            Dkim = [keys.RsaS1, keys.Ed25519],
        };
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(options);
        builder.Services.AddMassTransitTestHarness(TextWriter.Null, builder.Services.AddSigner().AddConsumers);
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            using var metrics = new MetricRecorder(host.Services.GetRequiredService<IMeterFactory>());
            var harness = host.Services.GetRequiredService<ITestHarness>();
            var consumer = harness.GetConsumerHarness<MessageAcceptedConsumer>();

            await harness.Bus.Publish(Accepted("news@example.test"));
            await harness.Bus.Publish(Accepted("someone@nokey.test"));
            var consumed = 0;
            await foreach (var _ in consumer.Consumed.SelectAsync<MessageAccepted>())
            {
                if (++consumed == 2) break;
            }

            Assert.False(await harness.Consumed.Any<MessageAccepted>(c => c.Exception is not null));
            Assert.Equal(1, metrics.Sum("pipeline.messages.signed"));
            Assert.Equal(1, metrics.Sum("pipeline.dkim.signatures", ("algorithm", "rsa-sha256")));
            Assert.Equal(1, metrics.Sum("pipeline.dkim.signatures", ("algorithm", "ed25519-sha256")));
            Assert.Equal(2, metrics.Sum("pipeline.dkim.signatures"));
            Assert.Equal(2, metrics.Count("pipeline.broker.publish.duration", ("service", "signer"), ("message_type", "MessageSigned")));
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
