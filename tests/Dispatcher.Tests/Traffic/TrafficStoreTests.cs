using Pipeline.Dispatcher.Traffic;
using Pipeline.Shared.Configuration;
using StackExchange.Redis;

namespace Pipeline.Dispatcher.Tests.Traffic;

/// <summary>The same behaviour from the Redis store and the local one: rate limits (GCRA), connection leases,
/// expiring flags and counters.</summary>
public sealed class TrafficStoreTests : IAsyncLifetime
{
    private readonly TrafficStores _stores = new();

    public Task InitializeAsync() => _stores.InitializeAsync();
    public Task DisposeAsync() => _stores.DisposeAsync();

    public static TheoryData<string> Kinds => new() { "redis", "local" };

    [Theory, MemberData(nameof(Kinds))]
    public async Task A_rate_lets_its_burst_through_then_says_how_long_to_wait(string kind)
    {
        var store = _stores.Create(kind);
        var key = _stores.Prefix + "rate";
        var rate = MessageRate.Parse("6/m"); // one every 10 s: nothing refills during the test
        var decisions = new List<RateDecision>();
        for (int i = 0; i < 5; i++) decisions.Add(await store.TryTakeAsync(key, rate, burst: 3, default));

        Assert.Equal([true, true, true, false, false], decisions.Select(d => d.Allowed));
        Assert.InRange(decisions[3].RetryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
    }

    [Theory, MemberData(nameof(Kinds))]
    public async Task Unlimited_never_waits(string kind)
    {
        var store = _stores.Create(kind);
        for (int i = 0; i < 100; i++)
            Assert.True((await store.TryTakeAsync(_stores.Prefix + "unlimited", MessageRate.Unlimited, 1, default)).Allowed);
    }

    [Fact]
    public async Task Two_workers_share_one_rate_budget()
    {
        var key = _stores.Prefix + "shared-rate";
        var rate = MessageRate.Parse("10/m");
        var tasks = Enumerable.Range(0, 40).Select(i =>
            (i % 2 == 0 ? _stores.Redis : _stores.OtherWorker).TryTakeAsync(key, rate, burst: 10, default).AsTask());
        var decisions = await Task.WhenAll(tasks);
        Assert.Equal(10, decisions.Count(d => d.Allowed));
    }

    [Theory, MemberData(nameof(Kinds))]
    public async Task Leases_stop_at_the_limit_and_free_a_slot_on_release(string kind)
    {
        var store = _stores.Create(kind);
        var slots = new[] { new ConnectionSlot(_stores.Prefix + "conn", 2) };
        var lease = TimeSpan.FromMinutes(1);
        Assert.True(await store.TryLeaseAsync(slots, "a", lease, default));
        Assert.True(await store.TryLeaseAsync(slots, "b", lease, default));
        Assert.False(await store.TryLeaseAsync(slots, "c", lease, default));
        Assert.Equal(2, await store.CountLeasesAsync(slots[0].Key, default));

        await store.ReleaseAsync(slots, "a", default);
        Assert.True(await store.TryLeaseAsync(slots, "c", lease, default));
    }

    [Theory, MemberData(nameof(Kinds))]
    public async Task A_lease_takes_every_slot_or_none(string kind)
    {
        var store = _stores.Create(kind);
        var queue = new ConnectionSlot(_stores.Prefix + "queue", 5);
        var sourceIp = new ConnectionSlot(_stores.Prefix + "ip", 1);
        var lease = TimeSpan.FromMinutes(1);
        Assert.True(await store.TryLeaseAsync([queue, sourceIp], "a", lease, default));
        // The source IP is full: the queue slot must not be taken either.
        Assert.False(await store.TryLeaseAsync([queue, sourceIp], "b", lease, default));
        Assert.Equal(1, await store.CountLeasesAsync(queue.Key, default));
    }

    [Theory, MemberData(nameof(Kinds))]
    public async Task A_lease_that_is_not_renewed_expires(string kind)
    {
        // A worker that died stops renewing: its slot comes back by itself.
        var store = _stores.Create(kind);
        var slots = new[] { new ConnectionSlot(_stores.Prefix + "expiring", 1) };
        Assert.True(await store.TryLeaseAsync(slots, "dead-worker", TimeSpan.FromMilliseconds(300), default));
        Assert.False(await store.TryLeaseAsync(slots, "live-worker", TimeSpan.FromMinutes(1), default));
        await Task.Delay(600);
        Assert.True(await store.TryLeaseAsync(slots, "live-worker", TimeSpan.FromMinutes(1), default));
    }

    [Theory, MemberData(nameof(Kinds))]
    public async Task A_renewed_lease_outlives_its_first_term(string kind)
    {
        var store = _stores.Create(kind);
        var slots = new[] { new ConnectionSlot(_stores.Prefix + "renewed", 1) };
        Assert.True(await store.TryLeaseAsync(slots, "worker", TimeSpan.FromMilliseconds(300), default));
        await store.RenewAsync(slots, "worker", TimeSpan.FromMinutes(1), default);
        await Task.Delay(600);
        Assert.False(await store.TryLeaseAsync(slots, "other", TimeSpan.FromMinutes(1), default));
    }

    [Theory, MemberData(nameof(Kinds))]
    public async Task Flags_and_counters_expire(string kind)
    {
        var store = _stores.Create(kind);
        await store.SetFlagAsync(_stores.Prefix + "flag", "backoff: 421", TimeSpan.FromMilliseconds(300), default);
        Assert.Equal("backoff: 421", await store.GetFlagAsync(_stores.Prefix + "flag", default));
        Assert.Equal(3, await store.AddAsync(_stores.Prefix + "count", 3, TimeSpan.FromMilliseconds(300), default));
        Assert.Equal(5, await store.AddAsync(_stores.Prefix + "count", 2, TimeSpan.FromMilliseconds(300), default));
        await Task.Delay(600);
        Assert.Null(await store.GetFlagAsync(_stores.Prefix + "flag", default));
        Assert.Equal(1, await store.AddAsync(_stores.Prefix + "count", 1, TimeSpan.FromMinutes(1), default));
    }

    [Fact]
    public async Task Without_redis_the_limits_hold_locally_at_the_fallback_share()
    {
        // A Redis that is not there: a port nobody listens on.
        var options = ConfigurationOptions.Parse($"127.0.0.1:{FreePort.Next()}");
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 500;
        options.SyncTimeout = 500;
        options.AsyncTimeout = 500;
        await using var missing = await ConnectionMultiplexer.ConnectAsync(options);
        var store = TrafficStores.Resilient(new RedisTrafficStore(missing), share: 0.5);

        var slots = new[] { new ConnectionSlot(_stores.Prefix + "fallback", 4) };
        var taken = 0;
        for (int i = 0; i < 4; i++)
        {
            if (await store.TryLeaseAsync(slots, $"lease{i}", TimeSpan.FromMinutes(1), default)) taken++;
        }
        Assert.True(store.IsDegraded);
        Assert.Equal(2, taken);
    }

    [Fact]
    public async Task With_redis_the_resilient_store_shares_the_limit()
    {
        var store = TrafficStores.Resilient(_stores.Redis, share: 0.5);
        var slots = new[] { new ConnectionSlot(_stores.Prefix + "healthy", 1) };
        Assert.True(await store.TryLeaseAsync(slots, "mine", TimeSpan.FromMinutes(1), default));
        // The other worker sees the same lease in Redis.
        Assert.False(await _stores.OtherWorker.TryLeaseAsync(slots, "theirs", TimeSpan.FromMinutes(1), default));
        Assert.False(store.IsDegraded);
    }
}
