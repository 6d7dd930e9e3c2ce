using System.Security.Cryptography;
using System.Text;
using Pipeline.Shared.Configuration;
using Pipeline.Shared.Hosting;

namespace Pipeline.Ingest.Http;

/// <summary>The keys of Ingest:Http:ApiKeys, given as "Authorization: Bearer &lt;key&gt;" or "X-Api-Key: &lt;key&gt;".
/// Without any configured key every request is refused: an API that accepts mail must never be open.</summary>
public sealed class ApiKeys(PipelineOptions options)
{
    public const string HeaderName = HttpAccessPolicy.ApiKeyHeader;
    private readonly byte[][] _keys = options.Ingest.Http.ApiKeys.Where(k => k.Length > 0).Select(Encoding.UTF8.GetBytes).ToArray();

    public bool IsAuthorized(HttpRequest request)
    {
        // The same two headers as the access keys of every listener (HttpAccess:ApiKeys).
        if (HttpAccessPolicy.ApiKeyOf(request) is not { Length: > 0 } given) return false;
        var bytes = Encoding.UTF8.GetBytes(given);
        bool match = false;
        // Compare against every key in constant time, so timing tells nothing about which or how much matched.
        foreach (var key in _keys) match |= CryptographicOperations.FixedTimeEquals(bytes, key);
        return match;
    }
}
