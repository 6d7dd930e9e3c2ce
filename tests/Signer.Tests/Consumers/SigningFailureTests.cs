using System.Text;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.Contracts;
using Pipeline.Shared.Configuration;
using Pipeline.Shared.Messaging;
using Pipeline.Signer.Tests.Support;
using RabbitMQ.Client;

namespace Pipeline.Signer.Tests.Consumers;

/// <summary>A message that cannot be signed is not dropped and not retried for ever: the Signer, on the real
/// RabbitMQ, moves it to its queue's _error queue at once, with the reason in MassTransit's MT-Fault-Message header.
/// The test's Signer consumes a queue of its own (other test runs share the broker's pipeline.signer) and the
/// message is sent straight to it.</summary>
public sealed class SigningFailureTests(SigningKeys keys) : IClassFixture<SigningKeys>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static string RabbitMq =>
        Environment.GetEnvironmentVariable("PIPELINE_TEST_RABBITMQ") is { Length: > 0 } uri ? uri : "amqp://guest:guest@127.0.0.1:5672/pipeline-test";

    [Fact]
    public async Task A_message_without_a_From_lands_in_the_error_queue_with_the_reason()
    {
        var options = new PipelineOptions
        {
            ConnectionStrings = { RabbitMq = RabbitMq },
            VirtualMtas = { ["mta1"] = new VirtualMtaOptions { SourceIp = "127.0.0.1", HostName = "mta1.example.test" } },
            Pools = { ["default"] = ["mta1"] },
            Dkim = [keys.RsaS1],
        };
        var queue = $"{EntityNames.SignerQueue}.test-{Guid.NewGuid():N}";
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton(options);
        builder.Services.AddPipelineBus(options, inMemory: false, builder.Services.AddSigner(queue));
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            // The bus starts in the background (PipelineBus); wait until the Signer's queue is bound.
            var health = await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, Patience);
            Assert.Equal(BusHealthStatus.Healthy, health);
            var bus = host.Services.GetRequiredService<IBus>();
            var messageId = Guid.NewGuid();
            var endpoint = await bus.GetSendEndpoint(new Uri($"queue:{queue}"));
            await endpoint.Send(new MessageAccepted
            {
                MessageId = messageId,
                AcceptedAt = DateTimeOffset.UtcNow,
                MailFrom = "sender@example.test",
                Recipients = ["user@example.test"],
                Channel = "smtp",
                Content = Encoding.ASCII.GetBytes("To: user@example.test\r\nSubject: who sent this?\r\n\r\nBody\r\n"),
            });

            var (body, headers) = await TakeFromErrorQueueAsync($"{queue}_error", messageId);

            Assert.Contains(messageId.ToString(), body);
            var reason = Encoding.UTF8.GetString((byte[])headers["MT-Fault-Message"]!);
            Assert.Contains("DKIM signing failed (bad message): the message has no From header field", reason);
            Assert.Contains("DkimSigningException", Encoding.UTF8.GetString((byte[])headers["MT-Fault-ExceptionType"]!));
            // Not retried: a permanent failure is faulted on its first delivery.
            Assert.False(headers.ContainsKey("MT-Fault-RetryCount") && Encoding.UTF8.GetString((byte[])headers["MT-Fault-RetryCount"]!) != "0");
        }
        finally
        {
            await host.StopAsync();
            await DeleteQueuesAsync(queue, $"{queue}_error");
        }
    }

    private static async Task DeleteQueuesAsync(params string[] queues)
    {
        var factory = new ConnectionFactory { Uri = new Uri(RabbitMq) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        foreach (var queue in queues) await channel.QueueDeleteAsync(queue);
        // MassTransit binds an exchange of the same name to each queue; those go too.
        foreach (var queue in queues) await channel.ExchangeDeleteAsync(queue);
    }

    /// <summary>Reads <paramref name="errorQueue"/> until the message with <paramref name="messageId"/> shows up and takes it;
    /// every other message read on the way is held unacknowledged (so it is not read again) and put back at the end.</summary>
    private static async Task<(string Body, IDictionary<string, object?> Headers)> TakeFromErrorQueueAsync(string errorQueue, Guid messageId)
    {
        var factory = new ConnectionFactory { Uri = new Uri(RabbitMq) };
        await using var connection = await factory.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        var others = new List<ulong>();
        var deadline = DateTime.UtcNow + Patience;
        var id = messageId.ToString();
        try
        {
            while (DateTime.UtcNow < deadline)
            {
                BasicGetResult? result = null;
                try
                {
                    result = await channel.BasicGetAsync(errorQueue, autoAck: false);
                }
                catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
                {
                    // The error queue does not exist until the first fault creates it; the broker closed the channel.
                    await channel.DisposeAsync();
                    channel = await connection.CreateChannelAsync();
                    others.Clear();
                }
                if (result is null)
                {
                    await Task.Delay(200);
                    continue;
                }
                var body = Encoding.UTF8.GetString(result.Body.Span);
                if (JsonDocument.Parse(body).RootElement.TryGetProperty("messageId", out var found) && found.GetString() == id)
                {
                    await channel.BasicAckAsync(result.DeliveryTag, multiple: false);
                    return (body, result.BasicProperties.Headers ?? new Dictionary<string, object?>());
                }
                others.Add(result.DeliveryTag);
            }
            throw new TimeoutException($"message {messageId} did not reach {errorQueue} within {Patience.TotalSeconds:0} s");
        }
        finally
        {
            foreach (var tag in others) await channel.BasicNackAsync(tag, multiple: false, requeue: true);
            await channel.DisposeAsync();
        }
    }
}
