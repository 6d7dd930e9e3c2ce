using Pipeline.Shared.Configuration;

namespace Pipeline.Ingest.Security;

/// <summary>The AUTH users of Ingest:Smtp:Users.</summary>
public sealed class SmtpUsers(PipelineOptions options)
{
    private readonly Dictionary<string, string> _hashes = options.Ingest.Smtp.Users
        .GroupBy(u => u.Name, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Last().PasswordHash, StringComparer.Ordinal);

    public bool Any => _hashes.Count > 0;

    /// <summary>Checks a user name and password. An unknown user costs a hash too, so timing does not tell which
    /// names exist.</summary>
    public bool Verify(string name, string password)
    {
        if (_hashes.TryGetValue(name, out var hash)) return PasswordHash.Verify(password, hash);
        PasswordHash.Verify(password, UnknownUserHash);
        return false;
    }

    private static readonly string UnknownUserHash = PasswordHash.Create(Guid.NewGuid().ToString());
}
