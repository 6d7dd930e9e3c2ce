using System.Text.Json;
using Pipeline.Shared.Verp;
using StackExchange.Redis;

namespace Pipeline.BounceProcessor.State;

/// <summary>Sent recipients in Redis: a hash per message (<c>{prefix}sent:{id}</c>, field = VERP recipient tag) and
/// a key per Message-ID header (<c>{prefix}sent-mid:{Message-ID}</c>), both expiring after the retention period
/// (bounces and complaints arrive within days).</summary>
public sealed class RedisSentMessageStore(IConnectionMultiplexer redis, string prefix, TimeSpan retention) : ISentMessageStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task RecordAsync(SentRecipient recipient, CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        var batch = db.CreateBatch();
        var key = MessageKey(recipient.MessageId);
        var tasks = new List<Task>
        {
            batch.HashSetAsync(key, VerpAddress.RecipientTag(recipient.Recipient), JsonSerializer.Serialize(recipient, Json)),
            batch.KeyExpireAsync(key, retention),
        };
        if (recipient.HeaderMessageId is { Length: > 0 } header)
            tasks.Add(batch.StringSetAsync(HeaderKey(header), recipient.MessageId.ToString("N"), retention));
        batch.Execute();
        await Task.WhenAll(tasks).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<SentRecipient?> FindAsync(Guid messageId, string recipientOrTag, CancellationToken cancellationToken)
    {
        var tag = recipientOrTag.Contains('@') ? VerpAddress.RecipientTag(recipientOrTag) : recipientOrTag;
        var value = await redis.GetDatabase().HashGetAsync(MessageKey(messageId), tag).WaitAsync(cancellationToken).ConfigureAwait(false);
        return value.IsNull ? null : JsonSerializer.Deserialize<SentRecipient>(value.ToString(), Json);
    }

    public async Task<Guid?> FindByHeaderMessageIdAsync(string headerMessageId, CancellationToken cancellationToken)
    {
        var value = await redis.GetDatabase().StringGetAsync(HeaderKey(headerMessageId)).WaitAsync(cancellationToken).ConfigureAwait(false);
        return !value.IsNull && Guid.TryParseExact(value.ToString(), "N", out var id) ? id : null;
    }

    private RedisKey MessageKey(Guid messageId) => $"{prefix}sent:{messageId:N}";
    private RedisKey HeaderKey(string header) => $"{prefix}sent-mid:{header.Trim().Trim('<', '>').ToLowerInvariant()}";
}
