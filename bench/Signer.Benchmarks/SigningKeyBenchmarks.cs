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
    private BenchmarkKey _file = null!;

    [Params("rsa-sha256", "ed25519-sha256")]
    public string Algorithm { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _file = new BenchmarkKey(Algorithm);
        _key = DkimSigningKey.Load(_file.KeyFile, Algorithm);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _key.Dispose();
        _file.Dispose();
    }

    [Benchmark]
    public int SignHash() => _key.Sign(_hash, _signature);
}
