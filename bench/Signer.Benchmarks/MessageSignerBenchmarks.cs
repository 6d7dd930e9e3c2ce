using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;
using MimeKit.Cryptography;
using Pipeline.Shared.Configuration;
using Pipeline.Signer.Dkim;

namespace Pipeline.Signer.Benchmarks;

/// <summary>One DKIM signature on a 4 KB and a 100 KB message, single-threaded: 1 / Mean is the signing rate of one
/// core, to set beside `openssl speed rsa2048 ed25519`. The MimeKit rows are the DkimSigner the Signer used before
/// (BouncyCastle RSA), kept as the measured reason for signing with the platform's OpenSSL instead.</summary>
[MemoryDiagnoser]
[Config(typeof(BenchmarkConfig))]
public class MessageSignerBenchmarks
{
    private BenchmarkKey _key = null!;
    private MessageSigner _signer = null!;
    private MimeKit.Cryptography.DkimSigner _mimeKit = null!;
    private byte[] _message = [];

    [Params(4 * 1024, 100 * 1024)]
    public int Size { get; set; }

    [Params("rsa-sha256", "ed25519-sha256")]
    public string Algorithm { get; set; } = "";

    /// <summary>"plain": lines as mail programs write them; "trailing-blanks": every line ends with a blank.</summary>
    [Params("plain", "trailing-blanks")]
    public string Body { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _key = new BenchmarkKey(Algorithm);
        var keyFile = _key.KeyFile;
        var options = new PipelineOptions { Dkim = [new DkimKeyOptions { Domain = "example.test", Selector = "s1", KeyFile = keyFile, Algorithm = Algorithm }] };
        _signer = new MessageSigner(new DkimKeyStore(options, NullLogger<DkimKeyStore>.Instance), options);
        _mimeKit = new MimeKit.Cryptography.DkimSigner(keyFile, "example.test", "s1",
            Algorithm == DkimSigningKey.RsaSha256 ? DkimSignatureAlgorithm.RsaSha256 : DkimSignatureAlgorithm.Ed25519Sha256)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
        };
        _message = BenchmarkMessages.OfSize(Size, trailingBlanks: Body == "trailing-blanks");
    }

    [GlobalCleanup]
    public void Cleanup() => _key.Dispose();

    [Benchmark(Baseline = true)]
    public byte[] Signer() => _signer.Sign(_message).Content;

    [Benchmark]
    public MimeMessage MimeKitDkimSigner()
    {
        using var stream = new MemoryStream(_message, writable: false);
        var message = MimeMessage.Load(stream);
        _mimeKit.Sign(message, [HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId]);
        return message;
    }
}
