using System.Text.Json;
using Pipeline.Ingest.Tests.Support;
using Pipeline.Shared.Suppression;
using StackExchange.Redis;

namespace Pipeline.Ingest.Tests.Suppression;

/// <summary>The suppression check at RCPT against the real Redis, with entries written here in the agreed key
/// scheme (<see cref="SuppressionKeys"/>). Each test has a sender domain of its own and removes its keys.</summary>
public sealed class SuppressionTests : IngestTest
{
    /// <summary>The BounceProcessor's key prefix (BounceProcessor:RedisPrefix), which Ingest reads with.</summary>
    private static readonly string Prefix = new Pipeline.Shared.Configuration.BounceProcessorOptions().RedisPrefix;
    private readonly string _senderDomain = $"s{Guid.NewGuid():N}.example.com";
    private readonly string _everywhere = $"everywhere-{Guid.NewGuid():N}@example.net";
    /// <summary>Ingest counts accepted messages on the status board in the same Redis: under a prefix of this test's own.</summary>
    private readonly string _statusPrefix = $"test-status-{Guid.NewGuid():N}:";
    private ConnectionMultiplexer _redis = null!;

    public override async Task InitializeAsync()
    {
        _redis = await ConnectionMultiplexer.ConnectAsync(TestServices.Redis);
        var entry = JsonSerializer.Serialize(new { reason = "hard bounce 5.1.1", at = DateTimeOffset.UtcNow });
        var db = _redis.GetDatabase();
        await db.HashSetAsync(SuppressionKeys.Domain(Prefix, _senderDomain), SuppressionKeys.Recipient("Gone@Example.NET"), entry);
        await db.HashSetAsync(SuppressionKeys.Domain(Prefix, SuppressionKeys.AnySender), SuppressionKeys.Recipient(_everywhere), entry);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        var db = _redis.GetDatabase();
        await db.KeyDeleteAsync(SuppressionKeys.Domain(Prefix, _senderDomain));
        await db.HashDeleteAsync(SuppressionKeys.Domain(Prefix, SuppressionKeys.AnySender), SuppressionKeys.Recipient(_everywhere));
        foreach (var key in _redis.GetServers()[0].Keys(pattern: _statusPrefix + "*")) await db.KeyDeleteAsync(key);
        await _redis.DisposeAsync();
    }

    private async Task<SmtpLineClient> StartAsync(string mode)
    {
        var options = IngestHost.Options("127.0.0.0/8");
        options.ConnectionStrings.Redis = TestServices.Redis;
        options.Monitor.RedisPrefix = _statusPrefix;
        options.Ingest.Smtp.Suppressed = mode;
        var (client, _) = await (await StartHostAsync(options)).ConnectAsync(Timeout.Token);
        Assert.Equal(250, (await client.CommandAsync("EHLO c.example.com")).Code);
        Assert.Equal(250, (await client.CommandAsync($"MAIL FROM:<news@{_senderDomain}>")).Code);
        return client;
    }

    [Fact]
    public async Task Refuse_mode_answers_550_5_7_1_for_a_suppressed_recipient_in_any_case()
    {
        await using var client = await StartAsync("refuse");

        var refused = await client.CommandAsync("RCPT TO:<gone@example.net>");
        var everywhere = await client.CommandAsync($"RCPT TO:<{_everywhere}>");
        var fine = await client.CommandAsync("RCPT TO:<here@example.net>");

        Assert.Equal(550, refused.Code);
        Assert.StartsWith("5.7.1 <gone@example.net>: Recipient is on the suppression list", refused.Text);
        Assert.Equal(550, everywhere.Code);
        Assert.Equal(250, fine.Code);
        Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
        Assert.Equal(250, (await client.CommandAsync("Subject: s\r\n\r\nb\r\n.")).Code);
        var accepted = Assert.Single(Published());
        Assert.Equal(["here@example.net"], accepted.Recipients);
    }

    [Fact]
    public async Task Drop_mode_answers_250_and_leaves_the_recipient_out()
    {
        await using var client = await StartAsync("drop");

        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<GONE@example.net>")).Code);
        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<here@example.net>")).Code);
        Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
        Assert.Equal(250, (await client.CommandAsync("Subject: s\r\n\r\nb\r\n.")).Code);

        var accepted = Assert.Single(Published());
        Assert.Equal(["here@example.net"], accepted.Recipients);
    }

    [Fact]
    public async Task Drop_mode_with_only_suppressed_recipients_publishes_nothing()
    {
        await using var client = await StartAsync("drop");

        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<gone@example.net>")).Code);
        Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
        var reply = await client.CommandAsync("Subject: s\r\n\r\nb\r\n.");

        Assert.Equal(250, reply.Code);
        Assert.Contains("suppressed", reply.Text);
        Assert.False(await AnyPublishedAsync());
    }

    [Fact]
    public async Task The_same_recipient_from_another_sender_domain_is_not_suppressed()
    {
        var options = IngestHost.Options("127.0.0.0/8");
        options.ConnectionStrings.Redis = TestServices.Redis;
        options.Monitor.RedisPrefix = _statusPrefix;
        var (client, _) = await (await StartHostAsync(options)).ConnectAsync(Timeout.Token);
        await using var _ = client;
        Assert.Equal(250, (await client.CommandAsync("EHLO c.example.com")).Code);
        Assert.Equal(250, (await client.CommandAsync($"MAIL FROM:<news@other-{_senderDomain}>")).Code);

        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<gone@example.net>")).Code);
    }
}
