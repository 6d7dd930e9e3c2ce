using System.Text;

namespace Pipeline.Signer.Tests.Support;

/// <summary>The tricky part of the corpus: what real senders produce and what breaks naive canonicalization.</summary>
public static partial class SampleMessages
{
    private const string Date = "Date: Tue, 03 Jun 2025 08:15:00 +0200\r\n";

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static byte[] LongFoldedRecipientList { get; } = Ascii(
        "From: Alice <alice@example.test>\r\n" + Date +
        "To: " + string.Join(",\r\n    ", Enumerable.Range(1, 40).Select(i => $"\"Recipient {i}\" <r{i}@example.org>")) + "\r\n" +
        "Cc: one@example.org,\r\n\ttwo@example.org,\r\n \t three@example.org\r\n" +
        "Subject: many recipients\r\n" +
        "\r\n" +
        "Hi all.\r\n");

    public static byte[] VeryLongHeaderLine { get; } = Ascii(
        "From: alice@example.test\r\n" + Date +
        "Subject: " + new string('x', 980) + "\r\n" +
        "X-Long: " + string.Concat(Enumerable.Range(0, 120).Select(i => $"token{i} ")) + "\r\n" +
        "\r\n" +
        "Body.\r\n");

    public static byte[] Utf8Headers { get; } = Utf8(
        "From: \"Zoë Ünïcødé\" <zoe@example.test>\r\n" + Date +
        "To: 山田太郎 <taro@example.org>, Ñandú <nandu@example.org>\r\n" +
        "Subject: Grüße — 你好 — Привет ✉\r\n" +
        "X-Tag: ключ=значение;  ünïcødé   runs  \r\n" +
        "MIME-Version: 1.0\r\n" +
        "Content-Type: text/plain; charset=utf-8\r\n" +
        "Content-Transfer-Encoding: 8bit\r\n" +
        "\r\n" +
        "Körper mit Umlauten.\r\n");

    public static byte[] Latin1Body { get; } = Encoding.Latin1.GetBytes(
        "From: alice@example.test\r\n" + Date +
        "Subject: latin-1\r\n" +
        "MIME-Version: 1.0\r\n" +
        "Content-Type: text/plain; charset=iso-8859-1\r\n" +
        "Content-Transfer-Encoding: 8bit\r\n" +
        "\r\n" +
        "Déjà vu à Paris, señor; ÿ þ ß æ ø å \r\n" +
        "Ligne\tavec\ttabulations\t \r\n");

    public static byte[] QuotedPrintableBody { get; } = Ascii(
        "From: alice@example.test\r\n" + Date +
        "Subject: quoted-printable\r\n" +
        "MIME-Version: 1.0\r\n" +
        "Content-Type: text/plain; charset=utf-8\r\n" +
        "Content-Transfer-Encoding: quoted-printable\r\n" +
        "\r\n" +
        "Gr=C3=BC=C3=9Fe aus K=C3=B6ln, this line is long enough that it needs a so=\r\n" +
        "ft line break in the middle of a word=\r\n" +
        "and a trailing space encoded=20\r\n" +
        "and a literal trailing space   \r\n" +
        "=3D=3D equals signs =3D=3D\r\n");

    public static byte[] Base64TextBody { get; } = Ascii(
        "From: alice@example.test\r\n" + Date +
        "Subject: base64 text\r\n" +
        "MIME-Version: 1.0\r\n" +
        "Content-Type: text/plain; charset=utf-8\r\n" +
        "Content-Transfer-Encoding: base64\r\n" +
        "\r\n" +
        Base64Lines(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("Grüße aus Köln — ✓\r\n", 30)))));

    public static byte[] MultipartAlternative { get; } = Ascii(
        "From: alice@example.test\r\n" + Date +
        "Subject: alternative\r\n" +
        "MIME-Version: 1.0\r\n" +
        "Content-Type: multipart/alternative;\r\n boundary=\"alt-1\"\r\n" +
        "\r\n" +
        "--alt-1\r\n" +
        "Content-Type: text/plain; charset=us-ascii\r\n" +
        "Content-Transfer-Encoding: 7bit\r\n" +
        "\r\n" +
        "Plain text.   \r\n" +
        "\r\n" +
        "--alt-1\r\n" +
        "Content-Type: text/html; charset=utf-8\r\n" +
        "Content-Transfer-Encoding: quoted-printable\r\n" +
        "\r\n" +
        "<html><body><p style=3D\"color: red\">Gr=C3=BC=C3=9Fe</p>=\r\n" +
        "</body></html>\r\n" +
        "\r\n" +
        "--alt-1--\r\n");

    public static byte[] NestedMultipartWithMessage { get; } = Ascii(
        "From: alice@example.test\r\n" + Date +
        "Subject: nested\r\n" +
        "MIME-Version: 1.0\r\n" +
        "Content-Type: multipart/mixed; boundary=\"outer\"\r\n" +
        "\r\n" +
        "--outer\r\n" +
        "Content-Type: multipart/alternative; boundary=\"inner\"\r\n" +
        "\r\n" +
        "--inner\r\n" +
        "Content-Type: text/plain\r\n" +
        "\r\n" +
        "text\r\n" +
        "--inner\r\n" +
        "Content-Type: text/html\r\n" +
        "\r\n" +
        "<b>html</b>\r\n" +
        "--inner--\r\n" +
        "--outer\r\n" +
        "Content-Type: message/rfc822\r\n" +
        "Content-Disposition: attachment\r\n" +
        "\r\n" +
        "From: inner@example.org\r\n" +
        "Subject: forwarded\r\n" +
        "DKIM-Signature: v=1; a=rsa-sha256; d=example.org; s=x; bh=AAAA; b=BBBB\r\n" +
        "\r\n" +
        "Inner body.\r\n" +
        "--outer\r\n" +
        "Content-Type: image/png; name=\"dot.png\"\r\n" +
        "Content-Transfer-Encoding: base64\r\n" +
        "\r\n" +
        Base64Lines(AttachmentBytes()[..300]) +
        "--outer--\r\n");

    public static byte[] VeryLongBodyLines { get; } = Utf8(
        "From: alice@example.test\r\n" + Date +
        "Subject: long lines\r\n" +
        "Content-Type: text/plain; charset=utf-8\r\n" +
        "Content-Transfer-Encoding: 8bit\r\n" +
        "\r\n" +
        string.Concat(Enumerable.Repeat("word ü  ", 1200)) + "\r\n" +
        new string('y', 20000) + "\r\n");

    /// <summary>Fields RFC 5322 lets repeat: trace, comments, keywords and extension fields.</summary>
    public static byte[] RepeatableHeadersTwice { get; } = Ascii(
        "Received: from a.example.org by b.example.org; Tue, 03 Jun 2025 08:14:00 +0200\r\n" +
        "Received: from c.example.org\r\n\tby a.example.org; Tue, 03 Jun 2025 08:13:00 +0200\r\n" +
        "From: alice@example.test\r\n" + Date +
        "Subject: repeated fields\r\n" +
        "Comments: first comment\r\n" +
        "Keywords: one, two\r\n" +
        "Comments: second comment\r\n" +
        "Keywords: three\r\n" +
        "X-Mailer: first\r\n" +
        "X-Mailer: second\r\n" +
        "\r\n" +
        "Body.\r\n");

    public static byte[] WhitespaceInHeaders { get; } = Ascii(
        "From:    Alice   <alice@example.test>   \r\n" + Date +
        "Subject:\t\tTabs\t and   spaces \t \r\n" +
        "To: \t bob@example.org\t\r\n" +
        "X-Trailing: value with trailing blanks    \r\n" +
        "\r\n" +
        "Body.\r\n");

    public static byte[] EmptyHeaderValues { get; } = Ascii(
        "From: alice@example.test\r\n" + Date +
        "Subject:\r\n" +
        "Cc: \r\n" +
        "X-Empty:\t\r\n" +
        "\r\n" +
        "Body.\r\n");

    public static byte[] BodyOfBlankLines { get; } = Ascii(
        "From: alice@example.test\r\n" + Date +
        "Subject: only blank lines\r\n" +
        "\r\n" +
        "\r\n" +
        "\r\n" +
        "   \r\n" +
        "\r\n");

    public static byte[] LeadingAndTrailingBlankLines { get; } = Ascii(
        "From: alice@example.test\r\n" + Date +
        "Subject: blank lines around\r\n" +
        "\r\n" +
        "\r\n" +
        "\r\n" +
        "middle\r\n" +
        "\r\n" +
        "\r\n" +
        "\r\n");

    /// <summary>Lines starting with a dot: dot-stuffing belongs to the SMTP layers, the signed content has none.</summary>
    public static byte[] DotLines { get; } = Ascii(
        "From: alice@example.test\r\n" + Date +
        "Subject: dots\r\n" +
        "\r\n" +
        ".\r\n" +
        "..\r\n" +
        ".leading dot\r\n" +
        " .\r\n" +
        "end.\r\n");

    /// <summary>Over SMTP the CRLF before the terminating dot ends the last line, so the receiver sees "last line" with
    /// its blanks and a CRLF: that is what is signed (and what the tests verify).</summary>
    public static byte[] TrailingBlanksWithoutFinalNewLine { get; } = Ascii(
        "From: alice@example.test\r\n" + Date +
        "Subject: no final CRLF, trailing blanks\r\n" +
        "\r\n" +
        "first\r\n" +
        "last line   \t ");

    public static byte[] TabsEverywhere { get; } = Ascii(
        "From:\talice@example.test\r\n" + Date +
        "Subject:\tTabs\r\n" +
        "\r\n" +
        "\tindented by a tab\r\n" +
        "a\tb\t\tc\r\n" +
        "\t\t\r\n" +
        "x \t y\r\n");

    public static byte[] WhitespaceOnlyContinuationLine { get; } = Ascii(
        "From: alice@example.test\r\n" + Date +
        "Subject: folded\r\n" +
        "  \r\n" +
        " over a blank continuation line\r\n" +
        "\r\n" +
        "Body.\r\n");

    public static byte[] BulkListHeaders { get; } = Ascii(
        "From: News <news@example.test>\r\n" + Date +
        "To: subscriber@example.org\r\n" +
        "Subject: June newsletter\r\n" +
        "Message-ID: <n-2025-06@example.test>\r\n" +
        "List-Id: \"Example news\" <news.example.test>\r\n" +
        "List-Unsubscribe: <https://example.test/u/abc123>,\r\n <mailto:unsubscribe@example.test?subject=abc123>\r\n" +
        "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" +
        "Feedback-ID: campaign42:news:example.test\r\n" +
        "Precedence: bulk\r\n" +
        "MIME-Version: 1.0\r\n" +
        "Content-Type: text/plain\r\n" +
        "\r\n" +
        "News.\r\n");

    public static byte[] ResentBlock { get; } = Ascii(
        "Resent-From: carol@example.test\r\n" +
        "Resent-Date: Wed, 04 Jun 2025 09:00:00 +0000\r\n" +
        "Resent-To: dave@example.org\r\n" +
        "Resent-Message-ID: <resent-1@example.test>\r\n" +
        "From: alice@example.test\r\n" + Date +
        "Subject: resent\r\n" +
        "\r\n" +
        "Body.\r\n");

    public static byte[] LargeAttachment { get; } = Ascii(
        "From: alice@example.test\r\n" + Date +
        "Subject: large attachment\r\n" +
        "MIME-Version: 1.0\r\n" +
        "Content-Type: multipart/mixed; boundary=\"b\"\r\n" +
        "\r\n" +
        "--b\r\n" +
        "Content-Type: text/plain\r\n" +
        "\r\n" +
        "See attachment.\r\n" +
        "--b\r\n" +
        "Content-Type: application/pdf; name=\"big.pdf\"\r\n" +
        "Content-Transfer-Encoding: base64\r\n" +
        "\r\n" +
        Base64Lines(RandomBytes(200_000, 7)) +
        "--b--\r\n");

    public static byte[] MixedCaseHeaderNames { get; } = Ascii(
        "FROM: alice@example.test\r\n" +
        "date: Tue, 03 Jun 2025 08:15:00 +0200\r\n" +
        "sUbJeCt: Mixed case\r\n" +
        "message-id: <mixed@example.test>\r\n" +
        "CONTENT-TYPE: text/plain\r\n" +
        "\r\n" +
        "Body.\r\n");

    public static byte[] NoSpaceAfterColon { get; } = Ascii(
        "From:alice@example.test\r\n" +
        "Date:Tue, 03 Jun 2025 08:15:00 +0200\r\n" +
        "Subject:tight\r\n" +
        "\r\n" +
        "Body.\r\n");

    public static byte[] LongEncodedWordSubject { get; } = Ascii(
        "From: =?utf-8?q?J=C3=BCrgen_M=C3=BCller?= <juergen@example.test>\r\n" + Date +
        "Subject: =?utf-8?b?R3LDvMOfZSBhdXMgS8O2bG4sIGVpbiBzZWhyIGxhbmdlciBCZXRyZWZm?=\r\n" +
        " =?utf-8?b?IGRlciBnZWZhbHRldCB3ZXJkZW4gbXVzcw==?=\r\n" +
        "\r\n" +
        "Body.\r\n");

    /// <summary>Every byte from 0x80 to 0xFF in the body, untouched by signing.</summary>
    public static byte[] AllHighBytes { get; } =
    [
        .. Ascii("From: alice@example.test\r\n" + Date + "Subject: high bytes\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"),
        .. Enumerable.Range(0x80, 0x80).Select(b => (byte)b), .. "\r\n"u8,
        .. Enumerable.Range(0x80, 0x80).Reverse().Select(b => (byte)b), .. " \t \r\n"u8,
    ];

    public static byte[] OneCharacterBody { get; } = Ascii(
        "From: alice@example.test\r\n" + Date +
        "Subject: x\r\n" +
        "\r\n" +
        "x");

    public static byte[] LongReferences { get; } = Ascii(
        "From: alice@example.test\r\n" + Date +
        "Subject: Re: thread\r\n" +
        "In-Reply-To: <m30@example.org>\r\n" +
        "References: " + string.Join("\r\n ", Enumerable.Range(1, 30).Select(i => $"<m{i}@example.org>")) + "\r\n" +
        "\r\n" +
        "Reply.\r\n");

    public static byte[] GroupSyntaxTo { get; } = Ascii(
        "From: alice@example.test\r\n" + Date +
        "To: undisclosed-recipients:;\r\n" +
        "Subject: group\r\n" +
        "\r\n" +
        "Body.\r\n");

    public static byte[] QuotedDisplayNameWithComment { get; } = Ascii(
        "From: \"Alice \\\"Al\\\" Smith, Jr.\" (the sender) <alice@example.test>\r\n" + Date +
        "Subject: quoted\r\n" +
        "\r\n" +
        "Body.\r\n");

    public static byte[] HtmlWithLongLines { get; } = Utf8(
        "From: alice@example.test\r\n" + Date +
        "Subject: html\r\n" +
        "MIME-Version: 1.0\r\n" +
        "Content-Type: text/html; charset=utf-8\r\n" +
        "Content-Transfer-Encoding: 8bit\r\n" +
        "\r\n" +
        "<html><body>" + string.Concat(Enumerable.Range(0, 200).Select(i => $"<td class=\"c{i}\">Zelle {i} — ü</td>  ")) + "</body></html>\r\n");

    /// <summary>Duplicates of fields RFC 5322 allows once (Subject, To, Date): mailbox providers refuse such mail and
    /// opendkim will not verify it ("syntax error"), but the signature must still hold for the verifiers that do,
    /// and over-signing makes each duplicate count.</summary>
    public static byte[] DuplicateSingletonHeaders { get; } = Ascii(
        "From: alice@example.test\r\n" + Date +
        "Subject: first subject\r\n" +
        "To: bob@example.org\r\n" +
        "Subject: second subject\r\n" +
        "To: carol@example.org\r\n" +
        "Message-ID: <one@example.test>\r\n" +
        "\r\n" +
        "Body.\r\n");

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
