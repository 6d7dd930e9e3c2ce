using System.Text;
using System.Text.Json;
using RabbitMQ.Client;

namespace Pipeline.EndToEnd.Tests.Infrastructure;

/// <summary>Sends signed messages straight into a VirtualMTA's dispatch queue, as the Signer does, as plain JSON
/// (persistent, with publisher confirms: a message this returned for is the broker's). Tests that target the Dispatcher
/// use it so that no other test's Signer, competing on the shared vhost, can take their messages.</summary>
public sealed class DispatchQueuePublisher : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly IConnection _connection;
    private readonly IChannel _channel;

    private DispatchQueuePublisher(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public static async Task<DispatchQueuePublisher> ConnectAsync(string amqpUri)
    {
        var connection = await new ConnectionFactory { Uri = new Uri(amqpUri) }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        return new DispatchQueuePublisher(connection, channel);
    }

    /// <summary>A MessageSigned for <paramref name="virtualMta"/> whose content carries <paramref name="headerMessageId"/>.</summary>
    public static object SignedMessage(string virtualMta, string headerMessageId, string recipient) => new
    {
        messageId = Guid.NewGuid(),
        acceptedAt = DateTimeOffset.UtcNow,
        mailFrom = "sender@example.test",
        recipients = new[] { recipient },
        virtualMta,
        headerMessageId,
        signatures = Array.Empty<string>(),
        content = Encoding.ASCII.GetBytes(
            $"From: <sender@example.test>\r\nTo: <{recipient}>\r\nSubject: spool test\r\nMessage-ID: <{headerMessageId}>\r\n\r\nHello.\r\n"),
    };

    /// <summary>Publishes to the queue through the default exchange and returns once the broker confirmed it.</summary>
    public async Task SendAsync(string queue, object message)
    {
        var properties = new BasicProperties { ContentType = "application/json", DeliveryMode = DeliveryModes.Persistent };
        await _channel.BasicPublishAsync("", queue, mandatory: true, properties, JsonSerializer.SerializeToUtf8Bytes(message, Json));
    }

    /// <summary>Publishes to an exchange (e.g. pipeline.backoff) and returns once the broker confirmed it.</summary>
    public async Task PublishAsync(string exchange, object message)
    {
        var properties = new BasicProperties { ContentType = "application/json", DeliveryMode = DeliveryModes.Persistent };
        await _channel.BasicPublishAsync(exchange, "", mandatory: false, properties, JsonSerializer.SerializeToUtf8Bytes(message, Json));
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
