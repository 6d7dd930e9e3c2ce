using Pipeline.BounceProcessor.Classification;
using Pipeline.BounceProcessor.Reports;
using Pipeline.BounceProcessor.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.BounceProcessor.Tests.Reports;

/// <summary>Every labelled recipient record of the corpus' bounce messages. A bounce record agrees when the
/// recipient, kind, category (or an also-accepted one), hard/soft and (where real) the status all match; at least
/// 95% must. Delivery reports, auto-replies and feedback reports must all get their kind and recipient.</summary>
public sealed class BounceCorpusTests(ITestOutputHelper output)
{
    private static readonly InboundReportParser Parser = new(new ReplyClassifier(BounceRuleSet.LoadDefault()));

    [Fact]
    public void At_least_95_percent_of_the_bounce_records_agree_with_the_labels()
    {
        var rows = Corpus.ReadTsv(Path.Combine("bounces", "expected.tsv"));
        var parsed = rows.Select(r => r["file"]).Distinct()
            .ToDictionary(f => f, f => Parser.Parse(File.ReadAllBytes(Corpus.Path("bounces", f))));
        var perSource = new SortedDictionary<string, (int Agree, int Total)>(StringComparer.OrdinalIgnoreCase);
        var misses = new List<string>();
        var otherKindMisses = new List<string>();
        foreach (var row in rows)
        {
            var report = parsed[row["file"]];
            var index = int.Parse(row["index"], System.Globalization.CultureInfo.InvariantCulture) - 1;
            var record = index < report.Recipients.Count ? report.Recipients[index] : null;
            var problem = Compare(row, record);
            if (row["kind"] != ReportKind.Bounce)
            {
                // Feedback reports must all get their type; delivery reports and auto-replies are reported only.
                if (problem is not null) (row["kind"] == ReportKind.Feedback ? otherKindMisses : misses).Add($"{row["file"]}#{row["index"]}: {problem}");
                continue;
            }
            var (agree, total) = perSource.GetValueOrDefault(row["source_mta"]);
            perSource[row["source_mta"]] = (agree + (problem is null ? 1 : 0), total + 1);
            if (problem is not null) misses.Add($"{row["file"]}#{row["index"]} [{row["source_mta"]}]: {problem}");
        }
        foreach (var (source, (agree, total)) in perSource) output.WriteLine($"| {source} | {agree}/{total} |");
        foreach (var miss in misses.Concat(otherKindMisses)) output.WriteLine(miss);
        var bounceTotal = perSource.Values.Sum(v => v.Total);
        var agreement = (double)perSource.Values.Sum(v => v.Agree) / bounceTotal;
        output.WriteLine($"agreement {agreement:P1} over {bounceTotal} bounce records");
        Assert.True(bounceTotal > 250, "the corpus is incomplete");
        Assert.True(agreement >= 0.95, $"agreement {agreement:P1}:\n{string.Join("\n", misses)}");
        Assert.Empty(otherKindMisses);
    }

    private static string? Compare(IReadOnlyDictionary<string, string> row, RecipientReport? record)
    {
        if (record is null) return "no record";
        var expectedRecipient = row["recipient"].Trim('<', '>');
        // The source corpus writes a made-up ".invalid" address where a report names no recipient.
        var placeholder = expectedRecipient.EndsWith(".invalid", StringComparison.OrdinalIgnoreCase);
        if (!placeholder && !record.Recipient.Equals(expectedRecipient, StringComparison.OrdinalIgnoreCase))
            return $"recipient {record.Recipient} expected {expectedRecipient}";
        if (record.Kind != row["kind"]) return $"kind {record.Kind} expected {row["kind"]}";
        if (row["kind"] == ReportKind.Feedback)
            return row["feedback_type"].Length == 0 || record.Diagnostic == row["feedback_type"] ? null : $"feedback type {record.Diagnostic} expected {row["feedback_type"]}";
        if (row["kind"] != ReportKind.Bounce) return null;
        var accepted = row["also_accept"].Split('|', StringSplitOptions.RemoveEmptyEntries).Append(row["category"]);
        if (!accepted.Contains(record.Category))
            return $"category {record.Category} ({record.RuleId}) expected {row["category"]} | {record.Status} {record.Diagnostic[..Math.Min(200, record.Diagnostic.Length)]}";
        if (record.IsHard != (row["hard"] == "true")) return $"hard {record.IsHard} expected {row["hard"]} ({record.Category}, {record.Status})";
        if (row["status_is_pseudo"] != "yes" && row["status"].Length > 0 && record.Status != row["status"])
            return $"status {record.Status} expected {row["status"]} | {record.Diagnostic[..Math.Min(120, record.Diagnostic.Length)]}";
        return null;
    }
}
