using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Dispatcher.Traffic;
using StackExchange.Redis;

namespace Pipeline.Dispatcher.Tests.Traffic;

/// <summary>The stores under test: the Redis one against the real Redis the test script starts (its address in
/// PIPELINE_TEST_REDIS), the local one in memory. Each test gets its own key prefix and deletes its keys.</summary>
public sealed class TrafficStores : IAsyncLifetime
{
    public static string RedisAddress =>
        Environment.GetEnvironmentVariable("PIPELINE_TEST_REDIS") is { Length: > 0 } redis ? redis : "127.0.0.1:6379";

    public string Prefix { get; } = $"test:{Guid.NewGuid():N}:";

    private ConnectionMultiplexer? _first;
    private ConnectionMultiplexer? _second;

    /// <summary>Two connections, as two Dispatcher workers would have.</summary>
    public RedisTrafficStore Redis => new(_first!);
    public RedisTrafficStore OtherWorker => new(_second!);

    public async Task InitializeAsync()
    {
        _first = await ConnectionMultiplexer.ConnectAsync(RedisAddress);
        _second = await ConnectionMultiplexer.ConnectAsync(RedisAddress);
    }

    public ITrafficStore Create(string kind) => kind switch
    {
        "redis" => Redis,
        "local" => new LocalTrafficStore(TimeProvider.System),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static ResilientTrafficStore Resilient(RedisTrafficStore redis, double share) =>
        new(redis, new LocalTrafficStore(TimeProvider.System), share, TimeProvider.System, NullLogger<ResilientTrafficStore>.Instance);

    public async Task DisposeAsync()
    {
        var server = _first!.GetServers()[0];
        var db = _first.GetDatabase();
        await foreach (var key in server.KeysAsync(pattern: Prefix + "*")) await db.KeyDeleteAsync(key);
        await _first.DisposeAsync();
        await _second!.DisposeAsync();
    }
}
