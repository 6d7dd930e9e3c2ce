using BenchmarkDotNet.Attributes;
using Pipeline.Signer.Dkim;

namespace Pipeline.Signer.Benchmarks;

/// <summary>The bare private-key operation on a 32-byte hash: what `openssl speed` measures, through the same keys
/// the Signer uses. The gap between these rows and <see cref="MessageSignerBenchmarks"/> is canonicalization and
/// hashing.</summary>
[Config(typeof(BenchmarkConfig))]
public class SigningKeyBenchmarks
{
    private readonly byte[] _hash = new byte[32];
    private readonly byte[] _signature = new byte[512];
    private DkimSigningKey _key = null!;
    private string _dir = "";

    [Params("rsa-sha256", "ed25519-sha256")]
    public string Algorithm { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), $"signer-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_dir);
        var keyFile = Path.Combine(_dir, "key.pem");
        if (Algorithm == DkimSigningKey.RsaSha256) DkimKeyGenerator.CreateRsaKey(keyFile, "example.test", "s1", 2048);
        else DkimKeyGenerator.CreateEd25519Key(keyFile, "example.test", "s1");
        _key = DkimSigningKey.Load(keyFile, Algorithm);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _key.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark]
    public int SignHash() => _key.Sign(_hash, _signature);
}
