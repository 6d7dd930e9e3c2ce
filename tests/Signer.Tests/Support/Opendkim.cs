using System.Diagnostics;
using System.Text;

namespace Pipeline.Signer.Tests.Support;

/// <summary>OpenDKIM's library, through Debian's opendkim-testmsg (opendkim-tools). It has no option for a key file
/// and asks the system resolver for the key, so each check runs in a private network and mount namespace
/// (unshare, as root): a loopback of its own with a private dnsmasq on port 53 serving the test's TXT records, and
/// /etc/resolv.conf bind-mounted to point at it. Nothing outside the namespace sees either.
/// opendkim-testmsg reports one result for the whole message (pass when any signature passes), so each signature
/// is checked on its own: the message is verified once per DKIM-Signature with the other new signatures removed.</summary>
public static class Opendkim
{
    private const string Script = """
        set -u
        dir=$1
        ip link set lo up || { echo "cannot bring up lo in the namespace" >&2; exit 90; }
        mount --bind "$dir/resolv.conf" /etc/resolv.conf || { echo "cannot bind-mount resolv.conf" >&2; exit 91; }
        dnsmasq --conf-file="$dir/dns.conf" || { echo "private dnsmasq did not start" >&2; exit 92; }
        for f in "$dir"/sig-*.eml; do
          if out=$(/usr/sbin/opendkim-testmsg < "$f" 2>&1); then echo "$(basename "$f") pass"; else echo "$(basename "$f") fail $out"; fi
        done
        kill "$(cat "$dir/dns.pid")"
        """;

    /// <summary>One verdict per DKIM-Signature of <paramref name="message"/>, top first; the text is opendkim's
    /// complaint when it fails.</summary>
    public static async Task<IReadOnlyList<(bool Pass, string Detail)>> VerifyEachAsync(byte[] message,
        IReadOnlyDictionary<string, string> txtRecords, TempDirectory parent)
    {
        var dir = Path.Combine(parent.Path, "opendkim-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var signatures = SignatureFields(message);
        for (int i = 0; i < signatures.Count; i++)
            await File.WriteAllBytesAsync(Path.Combine(dir, $"sig-{i:D2}.eml"), WithOnlySignature(message, signatures, i));
        await File.WriteAllTextAsync(Path.Combine(dir, "resolv.conf"), "nameserver 127.0.0.1\n");
        var conf = new StringBuilder()
            .AppendLine("port=53").AppendLine("listen-address=127.0.0.1").AppendLine("bind-interfaces")
            .AppendLine("no-resolv").AppendLine("no-hosts").AppendLine("user=root")
            .AppendLine($"pid-file={Path.Combine(dir, "dns.pid")}");
        foreach (var (name, value) in txtRecords)
        {
            // A DNS character-string holds 255 bytes at most; a long key is several strings, joined by the verifier.
            var strings = Enumerable.Range(0, (value.Length + 254) / 255).Select(k => $"\"{value.Substring(k * 255, Math.Min(255, value.Length - k * 255))}\"");
            conf.AppendLine($"txt-record={name},{string.Join(',', strings)}");
        }
        await File.WriteAllTextAsync(Path.Combine(dir, "dns.conf"), conf.ToString());
        var script = Path.Combine(dir, "verify.sh");
        await File.WriteAllTextAsync(script, Script);

        var start = new ProcessStartInfo("unshare")
        {
            ArgumentList = { "--mount", "--net", "bash", script, dir },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var (exit, output, errors) = await ChildProcess.RunAsync(start,
            "run the tests as root with util-linux's unshare, dnsmasq and opendkim-tools (scripts/services.sh installs them)");
        Assert.True(exit == 0, $"the opendkim check exited with {exit} (it needs root for unshare --net --mount):\n{errors}\n{output}");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == signatures.Count, $"expected {signatures.Count} opendkim results, got:\n{output}\n{errors}");
        return [.. lines.Select(l => l.Split(' ', 3)).Select(p => (p[1] == "pass", p.Length > 2 ? p[2] : ""))];
    }

    /// <summary>Start and length of each DKIM-Signature field in the header section.</summary>
    private static List<(int Start, int Length)> SignatureFields(byte[] message)
    {
        var fields = new List<(int, int)>();
        int pos = 0, start = -1;
        bool isSignature = false;
        while (pos < message.Length)
        {
            int lf = Array.IndexOf(message, (byte)'\n', pos);
            int next = lf < 0 ? message.Length : lf + 1;
            bool blank = next - pos <= 2 && message[pos] is (byte)'\r' or (byte)'\n';
            bool continuation = !blank && message[pos] is (byte)' ' or (byte)'\t';
            if (!continuation)
            {
                if (start >= 0 && isSignature) fields.Add((start, pos - start));
                start = pos;
                isSignature = Encoding.ASCII.GetString(message, pos, Math.Min(15, message.Length - pos)).Equals("DKIM-Signature:", StringComparison.OrdinalIgnoreCase);
            }
            if (blank) break;
            pos = next;
        }
        return fields;
    }

    private static byte[] WithOnlySignature(byte[] message, List<(int Start, int Length)> signatures, int keep)
    {
        var result = new List<byte>(message.Length);
        int pos = 0;
        for (int i = 0; i < signatures.Count; i++)
        {
            var (start, length) = signatures[i];
            result.AddRange(message.AsSpan(pos, start - pos));
            if (i == keep) result.AddRange(message.AsSpan(start, length));
            pos = start + length;
        }
        result.AddRange(message.AsSpan(pos));
        return [.. result];
    }
}
