using System.Text;

namespace Pipeline.Signer.Benchmarks;

/// <summary>Outbound mail of a given size: headers of a bulk message, a text body with the usual mix of words and
/// line lengths. <paramref name="trailingBlanks"/> ends every line with a blank, the worst case of relaxed body
/// canonicalization (each line is rewritten); bodies as mail programs write them (quoted-printable or base64, HTML)
/// have none, and take the fast path.</summary>
public static class BenchmarkMessages
{
    public static byte[] OfSize(int bytes, bool trailingBlanks = true)
    {
        var text = new StringBuilder(bytes + 1024)
            .Append("From: News <news@example.test>\r\n")
            .Append("To: subscriber@example.org\r\n")
            .Append("Subject: Your weekly digest, with a subject line of typical length\r\n")
            .Append("Date: Tue, 03 Jun 2025 08:15:00 +0200\r\n")
            .Append("Message-ID: <digest-20250603-0001@example.test>\r\n")
            .Append("List-Unsubscribe: <https://example.test/u/abc123>, <mailto:unsubscribe@example.test?subject=abc123>\r\n")
            .Append("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n")
            .Append("MIME-Version: 1.0\r\n")
            .Append("Content-Type: text/plain; charset=utf-8\r\n")
            .Append("Content-Transfer-Encoding: 8bit\r\n")
            .Append("\r\n");
        var random = new Random(42);
        string[] words = ["the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "Grüße", "newsletter", "offer", "a", "of", "to"];
        while (text.Length < bytes)
        {
            int lineLength = random.Next(20, 76);
            int start = text.Length;
            while (text.Length - start < lineLength) text.Append(words[random.Next(words.Length)]).Append(' ');
            if (!trailingBlanks) text.Length--;
            text.Append("\r\n");
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
