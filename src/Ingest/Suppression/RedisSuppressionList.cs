using Pipeline.Shared.Suppression;
using StackExchange.Redis;

namespace Pipeline.Ingest.Suppression;

/// <summary>Reads the suppression list the BounceProcessor keeps in Redis (<see cref="SuppressionKeys"/>): the
/// sender domain's hash and the all-senders hash, both in one round trip.</summary>
public sealed class RedisSuppressionList(IConnectionMultiplexer redis) : ISuppressionList
{
    public async ValueTask<bool> IsSuppressedAsync(string senderDomain, string recipient, CancellationToken cancellationToken)
    {
        // While Redis is away, fail at once instead of waiting out a timeout at every RCPT.
        if (!redis.IsConnected) throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "Redis is not connected");
        var db = redis.GetDatabase();
        var field = SuppressionKeys.Field(recipient);
        var forDomain = senderDomain.Length == 0
            ? Task.FromResult(false)
            : db.HashExistsAsync(SuppressionKeys.ForSenderDomain(senderDomain), field);
        var forAll = db.HashExistsAsync(SuppressionKeys.ForSenderDomain(SuppressionKeys.AllSenders), field);
        return await forDomain.ConfigureAwait(false) | await forAll.ConfigureAwait(false);
    }
}
