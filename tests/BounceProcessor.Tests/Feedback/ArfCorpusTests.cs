using Pipeline.BounceProcessor.Classification;
using Pipeline.BounceProcessor.Feedback;
using Pipeline.BounceProcessor.Reports;
using Pipeline.BounceProcessor.Tests.Support;

namespace Pipeline.BounceProcessor.Tests.Feedback;

/// <summary>Every feedback report of the corpus: its feedback type, and the recipient, envelope sender and source IP
/// where the corpus has them; each one's XARF document validates against the official schema.</summary>
public sealed class ArfCorpusTests
{
    private static readonly InboundReportParser Parser = new(new ReplyClassifier(BounceRuleSet.LoadDefault()));

    public static TheoryData<string> Files() => [.. Corpus.ReadTsv(Path.Combine("arf", "expected.tsv")).Select(r => r["file"])];

    [Theory]
    [MemberData(nameof(Files))]
    public void Each_report_gets_its_feedback_type_and_fields(string file)
    {
        var row = Corpus.ReadTsv(Path.Combine("arf", "expected.tsv")).Single(r => r["file"] == file);
        var report = Parser.Parse(File.ReadAllBytes(Corpus.Path("arf", file)));

        Assert.NotNull(report.Feedback);
        Assert.Equal(row["feedback_type"], report.Feedback.FeedbackType);
        // Empty where the corpus does not say; ".invalid" is the source corpus' stand-in for "no recipient named".
        var expectedRecipients = row["recipient"].Split(';', StringSplitOptions.RemoveEmptyEntries).Select(r => r.Trim('<', '>')).ToList();
        if (expectedRecipients.Count > 0 && !expectedRecipients[0].EndsWith(".invalid", StringComparison.Ordinal))
            Assert.Equal(expectedRecipients, report.Feedback.OriginalRecipients, StringComparer.OrdinalIgnoreCase);
        if (row["original_mail_from"].Length > 0) Assert.Equal(row["original_mail_from"].Trim('<', '>'), report.Feedback.OriginalMailFrom);
        if (row["source_ip"].Length > 0) Assert.Equal(row["source_ip"], report.Feedback.SourceIp);
        if (row["reported_domain"].Length > 0) Assert.Equal(row["reported_domain"], report.Feedback.ReportedDomain);
        Assert.All(report.Recipients, r => Assert.Equal(ReportKind.Feedback, r.Kind));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Each_report_becomes_a_schema_valid_xarf_document(string file)
    {
        var report = Parser.Parse(File.ReadAllBytes(Corpus.Path("arf", file)));

        var xarf = XarfReport.Create(report.Feedback!, Guid.NewGuid(), DateTimeOffset.UtcNow, "bounces@bounces.example.test");

        Assert.Empty(XarfSchema.Errors(xarf));
        Assert.Contains("\"evidence_source\":\"user_complaint\"", xarf, StringComparison.Ordinal);
    }

    [Fact]
    public void The_schema_check_can_fail()
    {
        var report = Parser.Parse(File.ReadAllBytes(Corpus.Path("arf", "sisimai--arf-18.eml")));
        var xarf = XarfReport.Create(report.Feedback!, Guid.NewGuid(), DateTimeOffset.UtcNow, "bounces@bounces.example.test");

        var broken = xarf.Replace("\"protocol\":\"smtp\"", "\"protocol\":\"carrier-pigeon\"", StringComparison.Ordinal);

        Assert.NotEmpty(XarfSchema.Errors(broken));
    }
}
