using System.Text;

namespace Pipeline.Signer.Tests.Support;

/// <summary>Raw messages as a sender hands them in, CRLF line ends, each exercising one part of canonicalization.
/// <see cref="All"/> is the corpus every verifier (MimeKit, dkimpy, opendkim) must accept signed with every key;
/// it holds only messages with one Date and one From, which opendkim insists on.</summary>
public static partial class SampleMessages
{
    private const string Headers =
        "From: Alice <alice@example.test>\r\n" +
        "To: Bob <bob@example.org>\r\n" +
        "Date: Mon, 02 Jun 2025 10:00:00 +0000\r\n" +
        "Message-ID: <sample@example.test>\r\n" +
        "MIME-Version: 1.0\r\n";

    public static byte[] SimpleText { get; } = Ascii(
        Headers +
        "Subject: Hello\r\n" +
        "Content-Type: text/plain; charset=us-ascii\r\n" +
        "\r\n" +
        "Hello Bob.\r\n" +
        "\r\n" +
        "See you.\r\n");

    public static byte[] EightBitBody { get; } = Encoding.UTF8.GetBytes(
        Headers +
        "Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\n" +
        "Content-Type: text/plain; charset=utf-8\r\n" +
        "Content-Transfer-Encoding: 8bit\r\n" +
        "\r\n" +
        "Grüße aus Köln — naïve café ✓\r\n" +
        "Здравствуйте, 世界\r\n");

    public static byte[] EightBitHeader { get; } = Encoding.UTF8.GetBytes(
        "From: Jürgen <juergen@example.test>\r\n" +
        "To: bob@example.org\r\n" +
        "Date: Mon, 02 Jun 2025 10:00:00 +0000\r\n" +
        "Subject: Grüße aus Köln\r\n" +
        "MIME-Version: 1.0\r\n" +
        "Content-Type: text/plain; charset=utf-8\r\n" +
        "Content-Transfer-Encoding: 8bit\r\n" +
        "\r\n" +
        "Schöne Grüße\r\n");

    public static byte[] FoldedSubject { get; } = Ascii(
        Headers +
        "Subject: This subject is long enough that the sender folded it over\r\n" +
        " several lines, once with a space\r\n" +
        "\tand once with a tab,   and with    runs of   blanks\r\n" +
        "Content-Type: text/plain;\r\n" +
        "  charset=us-ascii;\r\n" +
        "  format=flowed\r\n" +
        "\r\n" +
        "Body.\r\n");

    public static byte[] TrailingWhitespace { get; } = Ascii(
        Headers +
        "Subject:   blanks   around   \r\n" +
        "Content-Type: text/plain\r\n" +
        "\r\n" +
        "Line with trailing blanks   \r\n" +
        "Line with a trailing tab\t\r\n" +
        "  inner \t  runs  of   blanks  \r\n" +
        "\r\n" +
        "   \r\n" +
        "\t\r\n" +
        "\r\n" +
        "\r\n");

    public static byte[] MultipartWithAttachment { get; } = Ascii(
        Headers +
        "Subject: Report attached\r\n" +
        "Content-Type: multipart/mixed; boundary=\"=_boundary_42\"\r\n" +
        "\r\n" +
        "This is a multi-part message in MIME format.\r\n" +
        "\r\n" +
        "--=_boundary_42\r\n" +
        "Content-Type: text/plain; charset=us-ascii\r\n" +
        "\r\n" +
        "The report is attached.\r\n" +
        "\r\n" +
        "--=_boundary_42\r\n" +
        "Content-Type: application/octet-stream; name=\"report.bin\"\r\n" +
        "Content-Disposition: attachment; filename=\"report.bin\"\r\n" +
        "Content-Transfer-Encoding: base64\r\n" +
        "\r\n" +
        Base64Lines(AttachmentBytes()) +
        "--=_boundary_42--\r\n" +
        "epilogue\r\n");

    public static byte[] NoFinalNewLine { get; } = Ascii(
        Headers +
        "Subject: no final CRLF\r\n" +
        "Content-Type: text/plain\r\n" +
        "\r\n" +
        "First line\r\n" +
        "last line without its CRLF");

    public static byte[] EmptyBody { get; } = Ascii(
        Headers +
        "Subject: empty\r\n" +
        "\r\n");

    public static byte[] HeadersOnly { get; } = Ascii(
        Headers +
        "Subject: no blank line, no body\r\n");

    /// <summary>Every sample by name, for theories.</summary>
    public static IReadOnlyDictionary<string, byte[]> All { get; } = new Dictionary<string, byte[]>
    {
        [nameof(SimpleText)] = SimpleText,
        [nameof(EightBitBody)] = EightBitBody,
        [nameof(EightBitHeader)] = EightBitHeader,
        [nameof(FoldedSubject)] = FoldedSubject,
        [nameof(TrailingWhitespace)] = TrailingWhitespace,
        [nameof(MultipartWithAttachment)] = MultipartWithAttachment,
        [nameof(NoFinalNewLine)] = NoFinalNewLine,
        [nameof(EmptyBody)] = EmptyBody,
        [nameof(HeadersOnly)] = HeadersOnly,
        [nameof(LongFoldedRecipientList)] = LongFoldedRecipientList,
        [nameof(VeryLongHeaderLine)] = VeryLongHeaderLine,
        [nameof(Utf8Headers)] = Utf8Headers,
        [nameof(Latin1Body)] = Latin1Body,
        [nameof(QuotedPrintableBody)] = QuotedPrintableBody,
        [nameof(Base64TextBody)] = Base64TextBody,
        [nameof(MultipartAlternative)] = MultipartAlternative,
        [nameof(NestedMultipartWithMessage)] = NestedMultipartWithMessage,
        [nameof(VeryLongBodyLines)] = VeryLongBodyLines,
        [nameof(RepeatableHeadersTwice)] = RepeatableHeadersTwice,
        [nameof(WhitespaceInHeaders)] = WhitespaceInHeaders,
        [nameof(EmptyHeaderValues)] = EmptyHeaderValues,
        [nameof(BodyOfBlankLines)] = BodyOfBlankLines,
        [nameof(LeadingAndTrailingBlankLines)] = LeadingAndTrailingBlankLines,
        [nameof(DotLines)] = DotLines,
        [nameof(TrailingBlanksWithoutFinalNewLine)] = TrailingBlanksWithoutFinalNewLine,
        [nameof(TabsEverywhere)] = TabsEverywhere,
        [nameof(WhitespaceOnlyContinuationLine)] = WhitespaceOnlyContinuationLine,
        [nameof(BulkListHeaders)] = BulkListHeaders,
        [nameof(ResentBlock)] = ResentBlock,
        [nameof(LargeAttachment)] = LargeAttachment,
        [nameof(MixedCaseHeaderNames)] = MixedCaseHeaderNames,
        [nameof(NoSpaceAfterColon)] = NoSpaceAfterColon,
        [nameof(LongEncodedWordSubject)] = LongEncodedWordSubject,
        [nameof(AllHighBytes)] = AllHighBytes,
        [nameof(OneCharacterBody)] = OneCharacterBody,
        [nameof(LongReferences)] = LongReferences,
        [nameof(GroupSyntaxTo)] = GroupSyntaxTo,
        [nameof(QuotedDisplayNameWithComment)] = QuotedDisplayNameWithComment,
        [nameof(HtmlWithLongLines)] = HtmlWithLongLines,
    };

    public static TheoryData<string> Names => new(All.Keys);

    public static byte[] From(string address, string subject = "test") => Ascii(
        $"From: {address}\r\nTo: bob@example.org\r\nSubject: {subject}\r\n\r\nBody\r\n");

    private static byte[] AttachmentBytes()
    {
        var bytes = new byte[1500];
        new Random(42).NextBytes(bytes);
        return bytes;
    }

    private static string Base64Lines(byte[] data)
    {
        var text = Convert.ToBase64String(data);
        var lines = new StringBuilder();
        for (int i = 0; i < text.Length; i += 76)
            lines.Append(text.AsSpan(i, Math.Min(76, text.Length - i))).Append("\r\n");
        return lines.ToString();
    }

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);
}
