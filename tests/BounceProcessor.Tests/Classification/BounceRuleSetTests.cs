using Pipeline.BounceProcessor.Classification;

namespace Pipeline.BounceProcessor.Tests.Classification;

public sealed class BounceRuleSetTests
{
    private static ReplyClassifier Classifier(params ClassificationRule[] rules) => new(BounceRuleSet.Compile(rules));

    [Fact]
    public void The_first_rule_that_holds_decides_and_hard_needs_a_permanent_reply()
    {
        var classifier = Classifier(
            new ClassificationRule { Id = "full", Category = "quota-issues", Text = ["mailbox full"] },
            new ClassificationRule { Id = "unknown", Category = "bad-mailbox", Hard = true, Status = ["x.1.1"] });

        Assert.Equal(("quota-issues", "full"), Pair(classifier.Classify("550 5.1.1 Mailbox FULL")));
        var permanent = classifier.Classify("550 5.1.1 <a@b.example>: no such user");
        Assert.Equal(("bad-mailbox", true, 550, "5.1.1"), (permanent.Category, permanent.IsHard, permanent.SmtpCode, permanent.EnhancedStatus));
        Assert.False(classifier.Classify("450 4.1.1 <a@b.example>: try later").IsHard);
        Assert.Equal(("other", null), Pair(classifier.Classify("250 2.0.0 Ok")));
    }

    [Fact]
    public void Unless_vetoes_and_with_requires_context()
    {
        var classifier = Classifier(
            new ClassificationRule { Id = "at-rcpt", Category = "bad-mailbox", Text = ["user unknown"], With = ["rcpt to"] },
            new ClassificationRule { Id = "other", Category = "policy-related", Text = ["user unknown"], Unless = ["whitelisted"] });

        Assert.Equal("at-rcpt", classifier.Classify("550 User unknown (in reply to RCPT TO command)").RuleId);
        Assert.Equal("other", classifier.Classify("550 User unknown").RuleId);
        Assert.Null(classifier.Classify("550 User unknown, but whitelisted").RuleId);
    }

    [Theory]
    [InlineData("451 4.4.1 No usable host for example.test: 127.0.0.1[127.0.0.1]:2626: Connection refused", "bad-connection")]
    [InlineData("421 4.4.2 example.test: Connection reset by peer", "bad-connection")]
    [InlineData("554 5.7.1 Relay access refused", "policy-related")]
    public void The_shipped_rules_tell_a_refused_connection_from_a_refusing_policy(string reply, string category) =>
        Assert.Equal(category, new ReplyClassifier(BounceRuleSet.LoadDefault()).Classify(reply).Category);

    [Theory]
    [InlineData("""{ "rules": [ { "id": "a", "category": "not-a-category", "text": ["x1"] } ] }""", "not-a-category")]
    [InlineData("""{ "rules": [ { "id": "a", "category": "other", "status": ["5.1.x.9"] } ] }""", "5.1.x.9")]
    [InlineData("""{ "rules": [ { "id": "a", "category": "other" } ] }""", "no condition")]
    [InlineData("""{ "rules": [ { "id": "a", "category": "other", "regex": ["(unclosed"] } ] }""", "(unclosed")]
    [InlineData("""{ "rules": [ { "id": "a", "category": "other", "text": [""] } ] }""", "shorter than two")]
    [InlineData("""{ "rules": [] }""", "no rules")]
    [InlineData("""{ "rules": [ { "id": "a", """, "not valid JSON")]
    public void A_bad_rules_file_is_refused_naming_the_rule_and_the_problem(string json, string expected)
    {
        using var directory = new TempDirectory();
        var file = Path.Combine(directory.Path, "rules.json");
        File.WriteAllText(file, json);

        var error = Assert.Throws<BounceRulesException>(() => BounceRuleSet.Load(file));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(file, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("550 5.1.1 <a@b.example> unknown", "5.1.1", 550)]
    [InlineData("Remote host said: 554 5.7.1 [192.0.2.1] blocked", "5.7.1", 554)]
    [InlineData("connect to 192.0.2.1:25: timed out", "", 0)]
    [InlineData("Apple Mail (2.753.1) 550-5.2.2 full", "5.2.2", 550)]
    [InlineData("(#5.1.1) Sorry, no mailbox here by that name", "5.1.1", 0)]
    public void Reply_codes_and_enhanced_codes_are_found_in_free_text(string text, string status, int code)
    {
        Assert.Equal(status, SmtpReplyFields.FindEnhancedStatus(text));
        Assert.Equal(code, SmtpReplyFields.FindReplyCode(text));
    }

    [Fact]
    public void Every_shipped_rule_names_a_known_category() =>
        Assert.All(BounceRuleSet.LoadDefault().Rules, r => Assert.Contains(r.Category, BounceCategory.All));

    private static (string, string?) Pair(ReplyClassification c) => (c.Category, c.RuleId);
}
