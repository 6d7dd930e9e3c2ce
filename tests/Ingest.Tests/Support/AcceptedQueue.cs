using System.Text;
using System.Text.Json;
using Pipeline.Shared.Messaging;
using RabbitMQ.Client;

namespace Pipeline.Ingest.Tests.Support;

/// <summary>A durable queue of the test's own bound to pipeline.accepted: what is in it is what the broker has of
/// the messages Ingest published.</summary>
public static class AcceptedQueue
{
    public static async Task DeclareAsync(IChannel channel, string queue)
    {
        await channel.ExchangeDeclareAsync(EntityNames.Accepted, ExchangeType.Fanout, durable: true, autoDelete: false);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        await channel.QueueBindAsync(queue, EntityNames.Accepted, "");
    }

    /// <summary>Every message in the queue, as JSON documents (MessageAccepted, camelCase), leaving the queue empty.</summary>
    public static async Task<List<JsonElement>> DrainAsync(IChannel channel, string queue)
    {
        var messages = new List<JsonElement>();
        while (await channel.BasicGetAsync(queue, autoAck: true) is { } delivery)
            messages.Add(JsonDocument.Parse(delivery.Body).RootElement.Clone());
        return messages;
    }

    /// <summary>The content of a MessageAccepted document, decoded.</summary>
    public static string Content(JsonElement accepted) => Encoding.UTF8.GetString(accepted.GetProperty("content").GetBytesFromBase64());
}
