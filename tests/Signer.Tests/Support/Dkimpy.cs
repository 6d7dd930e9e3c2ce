using System.Diagnostics;
using System.Text.Json;

namespace Pipeline.Signer.Tests.Support;

/// <summary>Debian's dkimpy (python3-dkim, installed by scripts/services.sh): a DKIM implementation independent of
/// MimeKit and of the Signer, whose DNS function reads the public keys from a file the test writes.</summary>
public static class Dkimpy
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

    /// <summary>One verdict per DKIM-Signature, top first, and dkimpy's log.</summary>
    public static async Task<(IReadOnlyList<bool> Verdicts, string Log)> VerifyAsync(byte[] message,
        IReadOnlyDictionary<string, string> txtRecords, TempDirectory dir)
    {
        var id = Guid.NewGuid().ToString("N");
        var messageFile = dir.File($"{id}.eml");
        var recordsFile = dir.File($"{id}.json");
        var scriptFile = dir.File($"{id}.py");
        await File.WriteAllBytesAsync(messageFile, message);
        await File.WriteAllTextAsync(recordsFile, JsonSerializer.Serialize(txtRecords));
        await File.WriteAllTextAsync(scriptFile, Script);

        var start = new ProcessStartInfo(Python)
        {
            ArgumentList = { scriptFile, messageFile, recordsFile },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var (exit, output, errors) = await ChildProcess.RunAsync(start, $"install python3 and python3-dkim (scripts/services.sh does)");
        Assert.True(exit == 0, $"dkimpy exited with {exit}:\n{errors}");
        var verdicts = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => v == "True").ToList();
        return (verdicts, errors);
    }
}
