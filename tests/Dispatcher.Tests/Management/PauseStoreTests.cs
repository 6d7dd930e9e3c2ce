using Pipeline.Dispatcher.Management;
using Pipeline.Dispatcher.Tests.Traffic;
using StackExchange.Redis;

namespace Pipeline.Dispatcher.Tests.Management;

/// <summary>Both pause stores keep the same promises; the Redis one is shared by two connections, as by two
/// Dispatcher workers, against the real Redis (a key of this test's own, deleted after).</summary>
public sealed class PauseStoreTests : IAsyncLifetime
{
    private readonly string _key = $"test:{Guid.NewGuid():N}:pauses";
    private ConnectionMultiplexer? _first;
    private ConnectionMultiplexer? _second;

    public async Task InitializeAsync()
    {
        _first = await ConnectionMultiplexer.ConnectAsync(TrafficStores.RedisAddress);
        _second = await ConnectionMultiplexer.ConnectAsync(TrafficStores.RedisAddress);
    }

    public async Task DisposeAsync()
    {
        await _first!.GetDatabase().KeyDeleteAsync(_key);
        await _first.DisposeAsync();
        await _second!.DisposeAsync();
    }

    private (IPauseStore Writer, IPauseStore Reader) Create(string kind)
    {
        if (kind == "local")
        {
            var local = new LocalPauseStore();
            return (local, local);
        }
        return (new RedisPauseStore(_first!, _key), new RedisPauseStore(_second!, _key));
    }

    [Theory]
    [InlineData("local")]
    [InlineData("redis")]
    public async Task A_pause_is_added_once_seen_by_every_reader_with_its_time_and_removed_once(string kind)
    {
        var (writer, reader) = Create(kind);
        var at = new DateTimeOffset(2026, 3, 14, 9, 30, 0, TimeSpan.Zero);
        Assert.True(await writer.AddAsync(new Pause(PauseTarget.Queue("mta1", "gmail.com"), at), CancellationToken.None));
        Assert.True(await writer.AddAsync(new Pause(PauseTarget.Job("spring"), at.AddMinutes(1)), CancellationToken.None));
        Assert.False(await writer.AddAsync(new Pause(PauseTarget.Queue("mta1", "gmail.com"), at.AddHours(1)), CancellationToken.None));

        var pauses = await reader.ListAsync(CancellationToken.None);
        Assert.Equal(["queue:mta1/gmail.com", "job:spring"], pauses.Select(p => p.Target.Key));
        Assert.Equal(at, pauses[0].PausedAt);

        Assert.True(await reader.RemoveAsync(PauseTarget.Queue("mta1", "gmail.com"), CancellationToken.None));
        Assert.False(await writer.RemoveAsync(PauseTarget.Queue("mta1", "gmail.com"), CancellationToken.None));
        Assert.Equal(["job:spring"], (await writer.ListAsync(CancellationToken.None)).Select(p => p.Target.Key));
    }
}
