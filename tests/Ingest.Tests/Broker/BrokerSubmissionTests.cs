using System.Text;
using System.Text.Json;
using Pipeline.Ingest.Tests.Support;
using Pipeline.Shared.Messaging;
using RabbitMQ.Client;

namespace Pipeline.Ingest.Tests.Broker;

/// <summary>pipeline.submit as an upstream app uses it: plain JSON published with a bare AMQP client (no MassTransit)
/// to the exchange, Ingest on a real RabbitMQ (a private node, so no other Ingest competes for the queue).</summary>
public sealed class BrokerSubmissionTests(PrivateBrokerFixture fixture) : IClassFixture<PrivateBrokerFixture>, IAsyncLifetime
{
    private readonly string _queue = $"test.accepted.{Guid.NewGuid():N}";
    private IngestHost _host = null!;
    private IConnection _connection = null!;
    private IChannel _channel = null!;

    public async Task InitializeAsync()
    {
        _connection = await fixture.Broker.ConnectAsync();
        _channel = await _connection.CreateChannelAsync();
        await AcceptedQueue.DeclareAsync(_channel, _queue);
        _host = await IngestHost.StartAsync(IngestHost.Options("127.0.0.0/8"), fixture.Broker.Uri);
        // Ingest declares pipeline.submit and its queue when its bus is up; the queue outlives a test's host, so
        // wait for this host's consumer on it.
        await WaitUntilAsync(async () => await ConsumersAsync(EntityNames.SubmitQueue) > 0, "Ingest consuming pipeline.submit");
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _channel.QueueDeleteAsync(_queue);
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }

    private async Task PublishAsync(string json)
    {
        var properties = new BasicProperties { ContentType = "application/json", Persistent = true };
        await _channel.BasicPublishAsync(EntityNames.Submit, "", mandatory: false, properties, Encoding.UTF8.GetBytes(json));
    }

    [Fact]
    public async Task Json_published_to_pipeline_submit_is_validated_built_and_forwarded_into_the_pipeline()
    {
        await PublishAsync("""
            { "from": "app@example.com", "to": ["ann@example.net", "bob@example.net"], "subject": "Hi {{name}}", "text": "Hello {{name}}",
              "variables": { "ann@example.net": { "name": "Ann" }, "bob@example.net": { "name": "Bob" } }, "jobId": "broker-job" }
            """);

        var accepted = await ReceiveAsync(_queue, 2);

        Assert.All(accepted, a => Assert.Equal("broker", a.GetProperty("channel").GetString()));
        Assert.All(accepted, a => Assert.Equal("broker-job", a.GetProperty("jobId").GetString()));
        var byRecipient = accepted.ToDictionary(a => a.GetProperty("recipients")[0].GetString()!, AcceptedQueue.Content);
        Assert.Contains("Subject: Hi Ann\r\n", byRecipient["ann@example.net"]);
        Assert.Contains("Subject: Hi Bob\r\n", byRecipient["bob@example.net"]);
    }

    [Fact]
    public async Task A_raw_message_published_with_its_envelope_is_forwarded_byte_for_byte()
    {
        const string raw = "From: app@example.com\r\nSubject: raw over amqp\r\n\r\nbody\r\n";
        await PublishAsync(JsonSerializer.Serialize(new { mailFrom = "bounces@example.com", to = new[] { "c@example.net" }, raw = Encoding.UTF8.GetBytes(raw) }));

        var accepted = Assert.Single(await ReceiveAsync(_queue, 1));

        Assert.Equal("bounces@example.com", accepted.GetProperty("mailFrom").GetString());
        Assert.EndsWith(raw, AcceptedQueue.Content(accepted));
    }

    [Theory]
    [InlineData("""{ "from": "app@example.com", "to": ["not-an-address"], "text": "x" }""", "to[0]")]
    [InlineData("""{ "from": "app@example.com", "to": ["a@example.net"], "text": "x", "virtualMta": "nosuch" }""", "virtualMta")]
    [InlineData("""{ "from": "app@example.com", "to": ["a@ex""", "Expected end of string")]
    public async Task An_invalid_message_goes_to_the_error_queue_with_the_reason(string json, string field)
    {
        var marker = Guid.NewGuid().ToString("N");
        var properties = new BasicProperties { ContentType = "application/json", Persistent = true, MessageId = marker };
        await _channel.BasicPublishAsync(EntityNames.Submit, "", mandatory: false, properties, Encoding.UTF8.GetBytes(json));

        var faulted = await WaitForErrorAsync(marker);

        var reason = Encoding.UTF8.GetString((byte[])faulted.BasicProperties.Headers!["MT-Fault-Message"]!);
        Assert.Contains(field, reason, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(json, Encoding.UTF8.GetString(faulted.Body.Span));
        Assert.Empty(await AcceptedQueue.DrainAsync(_channel, _queue));
    }

    private async Task<BasicGetResult> WaitForErrorAsync(string messageId)
    {
        BasicGetResult? found = null;
        await WaitUntilAsync(async () =>
        {
            if (await ConsumersAsync(EntityNames.SubmitQueue + "_error") < 0) return false;
            while (await _channel.BasicGetAsync(EntityNames.SubmitQueue + "_error", autoAck: true) is { } delivery)
            {
                if (delivery.BasicProperties.MessageId == messageId) found = delivery;
            }
            return found is not null;
        }, $"message {messageId} in the error queue");
        return found!;
    }

    private async Task<List<JsonElement>> ReceiveAsync(string queue, int count)
    {
        var received = new List<JsonElement>();
        await WaitUntilAsync(async () =>
        {
            received.AddRange(await AcceptedQueue.DrainAsync(_channel, queue));
            return received.Count >= count;
        }, $"{count} message(s) in {queue}");
        return received;
    }

    /// <summary>The number of consumers on <paramref name="queue"/>; -1 when it does not exist.</summary>
    private async Task<long> ConsumersAsync(string queue)
    {
        // A passive declare of a missing queue closes the channel: ask on a throw-away one.
        await using var probe = await _connection.CreateChannelAsync();
        try
        {
            return (await probe.QueueDeclarePassiveAsync(queue)).ConsumerCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return -1;
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting for {what}");
            await Task.Delay(100);
        }
    }
}
