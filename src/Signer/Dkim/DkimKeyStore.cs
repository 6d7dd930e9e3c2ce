using Pipeline.Shared.Configuration;

namespace Pipeline.Signer.Dkim;

/// <summary>The signing keys named under Dkim, loaded at start and again whenever a key file changes. At start a
/// missing, unreadable or mismatched key stops the Signer with the key's configuration name (unless
/// Signer:GenerateMissingKeys is on: the standalone host, which then writes a new RSA key and logs its DNS record).
/// Later, a changed file that does not hold a usable key leaves the previous key in service and logs an error.</summary>
public sealed class DkimKeyStore : IDisposable
{
    private readonly PipelineOptions _options;
    private readonly ILogger<DkimKeyStore> _log;
    private readonly FileStamp[] _stamps;
    private readonly Lock _reloadLock = new();
    // Replaced whole, never changed: readers take the reference once per message (Volatile: a reload on another
    // thread publishes a fully built set).
    private DkimKeySet _current;

    public DkimKeyStore(PipelineOptions options, ILogger<DkimKeyStore> log)
    {
        _options = options;
        _log = log;
        var keys = new List<DkimKey>(options.Dkim.Count);
        _stamps = new FileStamp[options.Dkim.Count];
        try
        {
            for (int i = 0; i < options.Dkim.Count; i++)
            {
                var entry = options.Dkim[i];
                if (!File.Exists(entry.KeyFile))
                {
                    if (!options.Signer.GenerateMissingKeys || entry.Algorithm != DkimSigningKey.RsaSha256 || entry.Domain == PipelineOptions.WildcardDomain)
                        throw new PipelineConfigurationException($"Dkim:{i}:KeyFile: {Path.GetFullPath(entry.KeyFile)} does not exist");
                    var txt = DkimKeyGenerator.CreateRsaKey(entry.KeyFile, entry.Domain, entry.Selector);
                    SignerLog.KeyGenerated(log, entry.KeyFile, txt);
                }
                _stamps[i] = FileStamp.Of(entry.KeyFile);
                keys.Add(LoadOrThrow(i));
            }
        }
        catch
        {
            foreach (var key in keys) key.SigningKey.Dispose();
            throw;
        }
        _current = new DkimKeySet(keys);
        foreach (var key in keys)
            SignerLog.KeyLoaded(log, key.Domain, key.Selector, key.Algorithm, key.SigningKey.Bits, key.Canonicalization.ToString());
    }

    /// <summary>The keys in service now.</summary>
    public DkimKeySet Current => Volatile.Read(ref _current);

    /// <summary>The keys configured for exactly this domain.</summary>
    public IReadOnlyList<DkimKey> For(string domain) => Current.For(domain);

    /// <summary>Loads every key file whose modification time or size changed since it was last read, and swaps in
    /// a new key set when one did. Returns the number of keys replaced.</summary>
    public int ReloadChanged()
    {
        lock (_reloadLock)
        {
            var current = Current;
            DkimKey[]? next = null;
            var retired = new List<DkimKey>();
            for (int i = 0; i < _stamps.Length; i++)
            {
                var stamp = FileStamp.Of(_options.Dkim[i].KeyFile);
                if (stamp == _stamps[i]) continue;
                _stamps[i] = stamp;
                DkimKey key;
                try
                {
                    key = LoadOrThrow(i);
                }
                catch (PipelineConfigurationException e)
                {
                    SignerLog.KeyReloadFailed(_log, _options.Dkim[i].Domain, _options.Dkim[i].Selector, e.Message);
                    continue;
                }
                next ??= [.. current.Keys];
                retired.Add(next[i]);
                next[i] = key;
                SignerLog.KeyReloaded(_log, key.Domain, key.Selector, key.Algorithm, key.SigningKey.Bits);
            }
            if (next is null) return 0;
            Volatile.Write(ref _current, new DkimKeySet(next));
            // The old keys are not disposed: a consumer may be signing with the previous set right now. They are
            // few and small; the garbage collector takes them once nobody holds that set.
            return retired.Count;
        }
    }

    private DkimKey LoadOrThrow(int i)
    {
        var entry = _options.Dkim[i];
        DkimSigningKey key;
        try
        {
            key = DkimSigningKey.Load(entry.KeyFile, entry.Algorithm);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            var why = e is FileNotFoundException or DirectoryNotFoundException ? "does not exist" : e.Message;
            throw new PipelineConfigurationException($"Dkim:{i}:KeyFile: {entry.KeyFile} is not a usable {entry.Algorithm} private key: {why}", e);
        }
        return new DkimKey(i, entry, key, DkimCanonicalization.Parse(entry.Canonicalization));
    }

    public void Dispose()
    {
        foreach (var key in Current.Keys) key.SigningKey.Dispose();
    }

    private readonly record struct FileStamp(DateTime LastWriteUtc, long Length)
    {
        public static FileStamp Of(string path)
        {
            var info = new FileInfo(path);
            return info.Exists ? new(info.LastWriteTimeUtc, info.Length) : default;
        }
    }
}
