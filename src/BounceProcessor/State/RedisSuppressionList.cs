using System.Text.Json;
using Pipeline.Shared.Suppression;
using StackExchange.Redis;

namespace Pipeline.BounceProcessor.State;

/// <summary>The suppression list in Redis, laid out as <see cref="SuppressionKeys"/> says (one hash per sender domain
/// and a set of the domains that have entries), so every BounceProcessor and Ingest instance sees the same list.</summary>
public sealed class RedisSuppressionList(IConnectionMultiplexer redis, string prefix) : ISuppressionList
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private RedisKey DomainsKey => SuppressionKeys.Domains(prefix);
    private RedisKey Key(string domain) => SuppressionKeys.Domain(prefix, domain);

    public async Task<bool> AddAsync(SuppressionEntry entry, CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        var recipient = SuppressionEntry.Normalise(entry.Recipient);
        var batch = db.CreateTransaction();
        var added = batch.HashSetAsync(Key(entry.SenderDomain), recipient, JsonSerializer.Serialize(entry with { Recipient = recipient }, Json));
        _ = batch.SetAddAsync(DomainsKey, entry.SenderDomain.ToLowerInvariant());
        await batch.ExecuteAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        return await added.ConfigureAwait(false);
    }

    public Task<bool> RemoveAsync(string senderDomain, string recipient, CancellationToken cancellationToken) =>
        redis.GetDatabase().HashDeleteAsync(Key(senderDomain), SuppressionEntry.Normalise(recipient)).WaitAsync(cancellationToken);

    public async Task<SuppressionEntry?> FindAsync(string senderDomain, string recipient, CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        var field = SuppressionEntry.Normalise(recipient);
        var value = await db.HashGetAsync(Key(senderDomain), field).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (value.IsNull && senderDomain != SuppressionEntry.AnySender)
            value = await db.HashGetAsync(Key(SuppressionEntry.AnySender), field).WaitAsync(cancellationToken).ConfigureAwait(false);
        return value.IsNull ? null : JsonSerializer.Deserialize<SuppressionEntry>(value.ToString(), Json);
    }

    public async Task<IReadOnlyList<SuppressionEntry>> ListAsync(string? senderDomain, int limit, CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        var domains = senderDomain is not null
            ? [senderDomain]
            : (await db.SetMembersAsync(DomainsKey).WaitAsync(cancellationToken).ConfigureAwait(false)).Select(d => d.ToString()).Order(StringComparer.Ordinal).ToArray();
        var entries = new List<SuppressionEntry>();
        foreach (var domain in domains)
        {
            // HSCAN pages through big hashes instead of loading them whole.
            await foreach (var field in db.HashScanAsync(Key(domain), pageSize: 500).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                entries.Add(JsonSerializer.Deserialize<SuppressionEntry>(field.Value.ToString(), Json)!);
                if (entries.Count >= limit) return entries;
            }
        }
        return entries;
    }
}
