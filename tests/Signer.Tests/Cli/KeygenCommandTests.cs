using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Shared.Configuration;
using Pipeline.Signer.Cli;
using Pipeline.Signer.Dkim;
using Pipeline.Signer.Tests.Support;

namespace Pipeline.Signer.Tests.Cli;

public sealed class KeygenCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("ed25519", null, "ed25519-sha256", "k=ed25519")]
    [InlineData("rsa", "1024", "rsa-sha256", "k=rsa")]
    [InlineData("rsa-sha256", null, "rsa-sha256", "k=rsa")]
    [InlineData("rsa", "4096", "rsa-sha256", "k=rsa")]
    public void Writes_a_key_the_signer_loads_and_prints_its_dns_record(string algorithm, string? bits, string expectedAlgorithm, string keyType)
    {
        var keyFile = _dir.File("new.pem");
        List<string> args = ["--domain", "Example.COM", "--selector", "s1", "--algorithm", algorithm, "--out", keyFile];
        if (bits is not null) args.AddRange(["--bits", bits]);
        var (exit, output, errors) = Run(args);

        Assert.True(exit == 0, errors);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        // The record printed is the one an independent reader (BouncyCastle) derives from the file.
        var txt = TestKeys.TxtValue(keyFile);
        Assert.Contains("s1._domainkey.example.com. IN TXT", output);
        Assert.Contains(keyType, output);
        var record = output[output.IndexOf("IN TXT", StringComparison.Ordinal)..output.IndexOf("Add this entry", StringComparison.Ordinal)];
        Assert.Equal(txt, string.Concat(record.Split('"').Where((_, i) => i % 2 == 1)));
        Assert.All(record.Split('"').Where((_, i) => i % 2 == 1), s => Assert.True(s.Length <= 255, "a DNS character-string holds 255 bytes at most"));
        Assert.Contains($"\"Algorithm\":\"{expectedAlgorithm}\"", output);

        var store = new DkimKeyStore(new PipelineOptions
        {
            Dkim = [new DkimKeyOptions { Domain = "example.com", Selector = "s1", KeyFile = keyFile, Algorithm = expectedAlgorithm }],
        }, NullLogger<DkimKeyStore>.Instance);
        var key = Assert.Single(store.For("example.com"));
        Assert.Equal(bits is null ? (algorithm == "ed25519" ? 256 : 2048) : int.Parse(bits), key.SigningKey.Bits);
    }

    [Fact]
    public void Never_overwrites_a_key()
    {
        var keyFile = TestKeys.CreateEd25519(_dir.File("old.pem"));
        var before = File.ReadAllBytes(keyFile);

        var (exit, _, errors) = Run(["--domain", "example.com", "--selector", "s1", "--algorithm", "ed25519", "--out", keyFile]);

        Assert.Equal(64, exit);
        Assert.Contains("exists", errors);
        Assert.Equal(before, File.ReadAllBytes(keyFile));
    }

    [Theory]
    [InlineData("--selector s1", "--domain")]
    [InlineData("--domain example.com", "--selector")]
    [InlineData("--domain example.com --selector s1 --algorithm dsa", "--algorithm: 'dsa'")]
    [InlineData("--domain example.com --selector s1 --bits 512", "--bits: '512'")]
    [InlineData("--domain example.com --selector s1 --colour blue", "unknown option '--colour'")]
    [InlineData("--domain", "--domain needs a value")]
    public void Bad_arguments_get_a_usage_error(string arguments, string problem)
    {
        var (exit, _, errors) = Run(arguments.Split(' '));

        Assert.Equal(64, exit);
        Assert.Contains(problem, errors);
        Assert.Contains("usage: keygen", errors);
    }

    [Fact]
    public async Task The_signer_program_runs_keygen_without_configuration_or_broker()
    {
        var keyFile = _dir.File("cli.pem");
        var signerDll = typeof(SignerService).Assembly.Location;
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { signerDll, "keygen", "--domain", "example.com", "--selector", "s1", "--algorithm", "ed25519", "--out", keyFile },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _dir.Path,
        };
        start.Environment["PIPELINE_CONFIG"] = _dir.File("does-not-exist.json");

        var (exit, output, errors) = await ChildProcess.RunAsync(start, "the dotnet host is needed");

        Assert.True(exit == 0, errors + output);
        Assert.Contains("v=DKIM1; k=ed25519; p=", output);
        Assert.True(File.Exists(keyFile));
    }

    private static (int Exit, string Output, string Errors) Run(IReadOnlyList<string> args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = KeygenCommand.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
