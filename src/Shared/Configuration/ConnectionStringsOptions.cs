namespace Pipeline.Shared.Configuration;

public sealed class ConnectionStringsOptions
{
    /// <summary>amqp://user:password@host:port/vhost. Empty in the standalone host, which uses the in-memory transport.</summary>
    public string? RabbitMq { get; set; }
    /// <summary>StackExchange.Redis configuration string, e.g. 127.0.0.1:6379.</summary>
    public string? Redis { get; set; }
}
