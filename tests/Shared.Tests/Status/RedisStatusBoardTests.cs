using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Shared.Status;
using StackExchange.Redis;

namespace Pipeline.Shared.Tests.Status;

/// <summary>The board against the real Redis (PIPELINE_TEST_REDIS) under a prefix of its own, removed afterwards.</summary>
public sealed class RedisStatusBoardTests : StatusBoardContract, IAsyncLifetime
{
    private readonly string _prefix = $"test-status-{Guid.NewGuid():N}:";
    private ConnectionMultiplexer _redis = null!;

    public async Task InitializeAsync() => _redis = await ConnectionMultiplexer.ConnectAsync(
        Environment.GetEnvironmentVariable("PIPELINE_TEST_REDIS") is { Length: > 0 } redis ? redis : "127.0.0.1:6379");

    public async Task DisposeAsync()
    {
        foreach (var key in _redis.GetServers()[0].Keys(pattern: _prefix + "*")) await _redis.GetDatabase().KeyDeleteAsync(key);
        await _redis.DisposeAsync();
    }

    protected override IStatusBoard Board(int recentEvents = 50) =>
        new RedisStatusBoard(_redis, _prefix, Clock, NullLogger<RedisStatusBoard>.Instance, recentEvents);

    [Fact]
    public async Task The_keys_follow_the_documented_layout_and_expire()
    {
        var board = Board();
        await board.RecordOutcomeAsync(new OutcomeRecorded("b", Start, "a@example.com", "bad-mailbox", "5.1.1", "mta1", "550"), default);
        await board.PublishQueuesAsync(new DispatcherSnapshot("w1", Start, ["mta1"], []), TimeSpan.FromSeconds(15), default);
        await board.ReadAsync(Start, 1, default);
        var db = _redis.GetDatabase();

        Assert.Equal(1, (long)await db.HashGetAsync(_prefix + "totals", "b"));
        Assert.Equal(1, (long)await db.HashGetAsync(_prefix + "minute:202611271015", "b"));
        var minuteTtl = await db.KeyTimeToLiveAsync(_prefix + "minute:202611271015");
        Assert.InRange(minuteTtl!.Value, TimeSpan.FromMinutes(100), TimeSpan.FromHours(2));
        Assert.Equal(1, (long)await db.HashGetAsync(_prefix + "categories", "bad-mailbox"));
        Assert.Equal(1, await db.ListLengthAsync(_prefix + "recent"));
        Assert.Contains("a***@example.com", (string?)await db.ListGetByIndexAsync(_prefix + "recent", 0));
        Assert.NotNull(await db.KeyTimeToLiveAsync(_prefix + "dispatcher:w1"));
        Assert.Equal(1, await db.SortedSetLengthAsync(_prefix + "dispatchers"));
    }

    [Fact]
    public async Task Without_Redis_writes_are_dropped_and_reads_say_why()
    {
        // A port where nothing listens: the multiplexer stays disconnected (AbortOnConnectFail false, as the services use it).
        var options = ConfigurationOptions.Parse($"127.0.0.1:{FreePort.Next()}");
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 200;
        options.AsyncTimeout = 500;
        await using var away = await ConnectionMultiplexer.ConnectAsync(options);
        var board = new RedisStatusBoard(away, _prefix, Clock, NullLogger<RedisStatusBoard>.Instance);

        await board.RecordAcceptedAsync(1, Start, default);
        await board.RecordOutcomeAsync(new OutcomeRecorded("d", Start, "a@example.com", null, "2.0.0", "mta1", "250"), default);
        await board.PublishQueuesAsync(new DispatcherSnapshot("w1", Start, ["mta1"], []), TimeSpan.FromSeconds(15), default);
        var overview = await board.ReadAsync(Start, 1, default);

        Assert.NotNull(overview.Error);
        Assert.Contains("Redis", overview.Error);
    }
}
