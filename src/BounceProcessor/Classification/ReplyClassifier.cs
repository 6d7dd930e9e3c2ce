namespace Pipeline.BounceProcessor.Classification;

/// <summary>Puts an SMTP reply (code, enhanced status, text) into a PowerMTA category, hard or soft, by the
/// first rule of the rules file that holds. Thread-safe; allocation-light (one bit per literal on the stack).</summary>
public sealed class ReplyClassifier(BounceRuleSet rules)
{
    private const int StackBitWords = 64; // 4096 literals before the bit set moves to the heap
    /// <summary>Replies are short; a whole bounce explanation can be long. What decides is in its first part.</summary>
    private const int MaxTextLength = 4096;

    public BounceRuleSet Rules { get; } = rules;

    /// <summary>Classifies a reply. <paramref name="code"/> 0 and <paramref name="status"/> empty mean "find them
    /// in the text"; given values win over what the text says.</summary>
    public ReplyClassification Classify(int code, string? status, string? text)
    {
        text = Normalise(text ?? "");
        if (text.Length > MaxTextLength) text = text[..MaxTextLength];
        if (string.IsNullOrEmpty(status)) status = SmtpReplyFields.FindEnhancedStatus(text);
        if (code == 0) code = SmtpReplyFields.FindReplyCode(text);

        var words = (Rules.LiteralCount + 63) / 64;
        Span<ulong> hits = words <= StackBitWords ? stackalloc ulong[words] : new ulong[words];
        Rules.FindLiterals(text, hits);
        var rule = Rules.FirstMatch(text, code, status, hits, text);

        var transient = status.StartsWith('4') || code is >= 400 and < 500;
        if (rule is null) return new ReplyClassification(BounceCategory.Other, false, code, status, null, false);
        return new ReplyClassification(rule.Category, rule.Hard && !transient, code, status, rule.Id, rule.Backoff);
    }

    /// <summary>Classifies a whole reply line as an operator would paste it: "550 5.1.1 &lt;a@b.c&gt;: ...".</summary>
    public ReplyClassification Classify(string reply) => Classify(0, null, reply);

    /// <summary>Folded DSN fields and multi-line replies carry line breaks and runs of blanks; patterns are
    /// written with single spaces.</summary>
    private static string Normalise(string text)
    {
        var needs = false;
        for (var i = 0; i < text.Length && !needs; i++)
            needs = (text[i] != ' ' && char.IsWhiteSpace(text[i])) || (text[i] == ' ' && i + 1 < text.Length && text[i + 1] == ' ');
        if (!needs) return text.Trim();
        var builder = new System.Text.StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }
            if (space) builder.Append(' ');
            space = false;
            builder.Append(c);
        }
        return builder.ToString();
    }
}
