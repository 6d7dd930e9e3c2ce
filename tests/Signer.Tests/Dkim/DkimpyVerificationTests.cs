using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using Pipeline.Signer.Tests.Support;

namespace Pipeline.Signer.Tests.Dkim;

/// <summary>Verifies the Signer's output with a second, independent DKIM implementation: Debian's dkimpy
/// (python3-dkim, installed by scripts/services.sh), so that a bug MimeKit shares on both sides cannot hide.</summary>
public sealed class DkimpyVerificationTests(SigningKeys keys) : IClassFixture<SigningKeys>, IDisposable
{
    private const string Python = "/usr/bin/python3";

    // argv: message file, JSON file of DNS name -> TXT value. Prints one True/False line per DKIM-Signature.
    private const string Script = """
        import json, logging, sys
        try:
            import dkim
        except ImportError as e:
            sys.stderr.write("cannot import dkim (%s): install Debian's python3-dkim (scripts/services.sh does)\n" % e)
            sys.exit(3)
        logging.basicConfig(stream=sys.stderr, level=logging.DEBUG)
        message = open(sys.argv[1], "rb").read()
        records = json.load(open(sys.argv[2]))
        def dnsfunc(name, timeout=5):
            if isinstance(name, bytes):
                name = name.decode("ascii")
            return records.get(name.rstrip(".").lower(), "").encode("ascii")
        d = dkim.DKIM(message, logger=logging.getLogger("dkim"))
        count = sum(1 for name, _ in d.headers if name.lower() == b"dkim-signature")
        for i in range(count):
            try:
                print(d.verify(idx=i, dnsfunc=dnsfunc))
            except dkim.DKIMException as e:
                logging.getLogger("dkim").error("signature %d: %s", i, e)
                print(False)
        """;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [MemberData(nameof(SampleMessages.Names), MemberType = typeof(SampleMessages))]
    public async Task Dkimpy_verifies_rsa_and_ed25519_signatures(string sample)
    {
        var signed = SigningKeys.Signer(keys.RsaS1, keys.Ed25519).Sign(SampleMessages.All[sample]).Content;

        await AssertDkimpySaysAsync(signed, "True", "True");
    }

    [Fact]
    public async Task Dkimpy_verifies_two_rsa_signatures()
    {
        var signed = SigningKeys.Signer(keys.RsaS1, keys.RsaS2).Sign(SampleMessages.MultipartWithAttachment).Content;

        await AssertDkimpySaysAsync(signed, "True", "True");
    }

    [Fact]
    public async Task Dkimpy_rejects_a_body_changed_after_signing()
    {
        var signed = SigningKeys.Signer(keys.RsaS1, keys.Ed25519).Sign(SampleMessages.SimpleText).Content;

        var tampered = DkimCheck.Replace(signed, "Hello Bob.", "Hello Rob.");

        await AssertDkimpySaysAsync(tampered, "False", "False");
    }

    /// <summary>Runs dkimpy over <paramref name="message"/> and expects one verdict per DKIM-Signature, top first.</summary>
    private async Task AssertDkimpySaysAsync(byte[] message, params string[] expected)
    {
        var id = Guid.NewGuid().ToString("N");
        var messageFile = _dir.File($"{id}.eml");
        var recordsFile = _dir.File($"{id}.json");
        var scriptFile = _dir.File("verify.py");
        await File.WriteAllBytesAsync(messageFile, message);
        await File.WriteAllTextAsync(recordsFile, JsonSerializer.Serialize(keys.TxtRecords));
        await File.WriteAllTextAsync(scriptFile, Script);

        var start = new ProcessStartInfo(Python)
        {
            ArgumentList = { scriptFile, messageFile, recordsFile },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{Python} did not start");
        }
        catch (Win32Exception e)
        {
            Assert.Fail($"{Python} cannot be run ({e.Message}); install python3 and python3-dkim (scripts/services.sh does)");
            throw;
        }
        using (process)
        {
            // A guard against a hung interpreter, not a timing assertion.
            using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var stdout = process.StandardOutput.ReadToEndAsync(guard.Token);
            var stderr = process.StandardError.ReadToEndAsync(guard.Token);
            await process.WaitForExitAsync(guard.Token);
            var output = await stdout;
            var errors = await stderr;
            Assert.True(process.ExitCode == 0, $"dkimpy exited with {process.ExitCode}:\n{errors}");
            var verdicts = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.True(verdicts.SequenceEqual(expected),
                $"dkimpy said [{string.Join(", ", verdicts)}], expected [{string.Join(", ", expected)}]; its log:\n{errors}");
        }
    }
}
