using Pipeline.BounceProcessor.Classification;
using Pipeline.BounceProcessor.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.BounceProcessor.Tests.Classification;

/// <summary>Every reply line of the corpus, as providers send them: at least 95% must get the expected category
/// (or one the corpus also accepts).</summary>
public sealed class ReplyCorpusTests(ITestOutputHelper output)
{
    private static readonly ReplyClassifier Classifier = new(BounceRuleSet.LoadDefault());

    [Fact]
    public void At_least_95_percent_of_the_reply_lines_get_the_expected_category()
    {
        var rows = Corpus.ReadTsv("replies.tsv");
        var misses = new List<string>();
        foreach (var row in rows)
        {
            var code = int.TryParse(row["code"], out var c) ? c : 0;
            var result = Classifier.Classify(code, row["enhanced"], row["text"]);
            var accepted = row["also_accept"].Split('|', StringSplitOptions.RemoveEmptyEntries).Append(row["category"]);
            if (!accepted.Contains(result.Category))
                misses.Add($"expected {row["category"]} got {result.Category} ({result.RuleId}): {row["code"]} {row["enhanced"]} {row["text"]}");
        }
        foreach (var miss in misses) output.WriteLine(miss);
        var agreement = 1.0 - (double)misses.Count / rows.Count;
        output.WriteLine($"agreement {agreement:P1} ({rows.Count - misses.Count}/{rows.Count})");
        Assert.True(rows.Count > 300, "the corpus is incomplete");
        Assert.True(agreement >= 0.95, $"agreement {agreement:P1}: {string.Join("\n", misses)}");
    }
}
