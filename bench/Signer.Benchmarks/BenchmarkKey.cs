using Pipeline.Signer.Dkim;

namespace Pipeline.Signer.Benchmarks;

/// <summary>A fresh key file for a benchmark (RSA-2048 or Ed25519) in a folder of its own, deleted on dispose.</summary>
public sealed class BenchmarkKey : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"signer-bench-{Guid.NewGuid():N}");

    public BenchmarkKey(string algorithm)
    {
        Directory.CreateDirectory(_dir);
        KeyFile = Path.Combine(_dir, "key.pem");
        if (algorithm == DkimSigningKey.RsaSha256) DkimKeyGenerator.CreateRsaKey(KeyFile, "example.test", "s1", 2048);
        else DkimKeyGenerator.CreateEd25519Key(KeyFile, "example.test", "s1");
    }

    public string KeyFile { get; }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
