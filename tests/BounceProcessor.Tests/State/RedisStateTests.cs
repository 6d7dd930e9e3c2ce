using Pipeline.BounceProcessor.State;
using Pipeline.Shared.Verp;
using StackExchange.Redis;

namespace Pipeline.BounceProcessor.Tests.State;

/// <summary>The suppression list and the sent-recipient store against the real Redis (PIPELINE_TEST_REDIS), each test
/// under its own key prefix, removed afterwards.</summary>
public sealed class RedisStateTests : IAsyncLifetime
{
    private readonly string _prefix = $"test-bounce-{Guid.NewGuid():N}:";
    private ConnectionMultiplexer _redis = null!;

    public async Task InitializeAsync() => _redis = await ConnectionMultiplexer.ConnectAsync(
        Environment.GetEnvironmentVariable("PIPELINE_TEST_REDIS") is { Length: > 0 } redis ? redis : "127.0.0.1:6379");

    public async Task DisposeAsync()
    {
        foreach (var key in _redis.GetServers()[0].Keys(pattern: _prefix + "*")) await _redis.GetDatabase().KeyDeleteAsync(key);
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Entries_are_found_per_sender_domain_or_for_every_sender_and_can_be_removed()
    {
        var list = new RedisSuppressionList(_redis, _prefix);
        var at = new DateTimeOffset(2026, 3, 14, 9, 0, 0, TimeSpan.Zero);

        Assert.True(await list.AddAsync(new SuppressionEntry("example.com", "User@Example.NET", "550 5.1.1 unknown", "bad-mailbox", "bounce", at), default));
        Assert.False(await list.AddAsync(new SuppressionEntry("example.com", "user@example.net", "again", "bad-mailbox", "bounce", at), default));
        await list.AddAsync(new SuppressionEntry("*", "everyone@example.net", "manual", "manual", "manual", at), default);

        Assert.Equal("again", (await list.FindAsync("EXAMPLE.com", "<user@example.net>", default))?.Reason);
        Assert.Null(await list.FindAsync("other.example", "user@example.net", default));
        Assert.NotNull(await list.FindAsync("other.example", "everyone@example.net", default));
        Assert.Equal(2, (await list.ListAsync(null, 10, default)).Count);
        Assert.Single(await list.ListAsync("example.com", 10, default));

        Assert.True(await list.RemoveAsync("example.com", "user@example.net", default));
        Assert.False(await list.RemoveAsync("example.com", "user@example.net", default));
        Assert.Null(await list.FindAsync("example.com", "user@example.net", default));
    }

    [Fact]
    public async Task A_sent_recipient_is_found_by_address_by_verp_tag_and_by_message_id_header()
    {
        var store = new RedisSentMessageStore(_redis, _prefix, TimeSpan.FromMinutes(5));
        var id = Guid.NewGuid();
        var sent = new SentRecipient(id, "rcpt@example.net", "sender@example.com", "job-1", "mta1", "127.0.0.2", "abc@example.com", DateTimeOffset.UnixEpoch);

        await store.RecordAsync(sent, default);

        Assert.Equal(sent, await store.FindAsync(id, "RCPT@example.net", default));
        Assert.Equal(sent, await store.FindAsync(id, VerpAddress.RecipientTag("rcpt@example.net"), default));
        Assert.Null(await store.FindAsync(id, "other@example.net", default));
        Assert.Equal(id, await store.FindByHeaderMessageIdAsync("<abc@example.com>", default));
        Assert.True(await _redis.GetDatabase().KeyTimeToLiveAsync($"{_prefix}sent:{id:N}") <= TimeSpan.FromMinutes(5));
    }
}
