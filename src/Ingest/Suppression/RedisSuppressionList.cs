using Pipeline.Shared.Suppression;
using StackExchange.Redis;

namespace Pipeline.Ingest.Suppression;

/// <summary>Reads the suppression list the BounceProcessor keeps in Redis (<see cref="SuppressionKeys"/>): the
/// sender domain's hash and the all-senders hash, both in one round trip.</summary>
/// <param name="prefix">BounceProcessor:RedisPrefix, the writer's key prefix.</param>
public sealed class RedisSuppressionList(IConnectionMultiplexer redis, string prefix) : ISuppressionList
{
    public async ValueTask<bool> IsSuppressedAsync(string senderDomain, string recipient, CancellationToken cancellationToken)
    {
        // While Redis is away, fail at once instead of waiting out a timeout at every RCPT.
        if (!redis.IsConnected) throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "Redis is not connected");
        var db = redis.GetDatabase();
        var field = SuppressionKeys.Recipient(recipient);
        var forDomain = senderDomain.Length == 0
            ? Task.FromResult(false)
            : db.HashExistsAsync(SuppressionKeys.Domain(prefix, senderDomain), field);
        var forAll = db.HashExistsAsync(SuppressionKeys.Domain(prefix, SuppressionKeys.AnySender), field);
        return await forDomain.ConfigureAwait(false) | await forAll.ConfigureAwait(false);
    }
}
