using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Pipeline.EndToEnd.Tests.Infrastructure;

/// <summary>A downstream consumer as a sender's own system would write one: plain RabbitMQ.Client (no MassTransit),
/// its own exclusive queue bound to one of the pipeline.events.* fanout exchanges, reading the JSON bodies.</summary>
public sealed class FanoutListener : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly ConcurrentQueue<JsonObject> _received = new();
    private readonly ConcurrentQueue<(JsonObject Body, IReadOnlyDictionary<string, string> Headers)> _withHeaders = new();

    private FanoutListener(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public IReadOnlyList<JsonObject> Received => [.. _received];

    /// <summary>The bodies with their AMQP headers (text values), e.g. MassTransit's MT-Activity-Id trace context.</summary>
    public IReadOnlyList<(JsonObject Body, IReadOnlyDictionary<string, string> Headers)> ReceivedWithHeaders => [.. _withHeaders];

    /// <param name="amqpUri">The broker (and virtual host) of the pipeline under test.</param>
    public static async Task<FanoutListener> StartAsync(string exchange, string amqpUri)
    {
        var factory = new ConnectionFactory { Uri = new Uri(amqpUri) };
        var connection = await factory.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        // Same declaration as MassTransit's (durable fanout), so whoever comes first creates it.
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        var queue = await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true);
        await channel.QueueBindAsync(queue.QueueName, exchange, "");
        var listener = new FanoutListener(connection, channel);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            if (JsonNode.Parse(Encoding.UTF8.GetString(delivery.Body.Span)) is JsonObject body)
            {
                listener._received.Enqueue(body);
                var headers = (delivery.BasicProperties.Headers ?? new Dictionary<string, object?>())
                    .Where(h => h.Value is byte[]).ToDictionary(h => h.Key, h => Encoding.UTF8.GetString((byte[])h.Value!));
                listener._withHeaders.Enqueue((body, headers));
            }
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue.QueueName, autoAck: true, consumer);
        return listener;
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.CloseAsync();
        await _connection.CloseAsync();
        _channel.Dispose();
        _connection.Dispose();
    }
}
