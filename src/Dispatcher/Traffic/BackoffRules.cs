using System.Text.RegularExpressions;

namespace Pipeline.Dispatcher.Traffic;

/// <summary>Replies that mean "you are sending too fast" or "your reputation is in question", PowerMTA's
/// smtp-pattern-list with its backoff mode: a match puts the queue into backoff. The defaults cover the throttling
/// replies of the big mailbox providers; operators add their own patterns (Dispatcher:Backoff:Patterns), which are
/// matched against "code status text" of the reply. Compiled once, at start.</summary>
public sealed class BackoffRules
{
    /// <summary>Built-in patterns, each with the reason reported when it matches.</summary>
    public static readonly IReadOnlyList<(string Pattern, string Reason)> Defaults =
    [
        (@"^4\d\d 4\.7\.28\b", "Gmail: unusual rate of mail from this IP (4.7.28)"),
        (@"^421 4\.7\.0 .*(try again later|unusual rate|rate limit)", "Gmail/Google: 421 4.7.0 rate limiting"),
        (@"^4\d\d .*\bTS[SE]0[1-9]\b", "Yahoo/AOL: temporarily deferred for volume or complaints (TSS/TSE)"),
        (@"^4\d\d 4\.7\.650\b", "Microsoft: temporarily rate limited due to IP reputation (4.7.650)"),
        (@"^4\d\d .*\bS3150\b|^4\d\d 4\.3\.2 .*(server busy|try again later)", "Microsoft: server busy"),
        (@"^4\d\d .*(too many (connections|concurrent|messages|recipients)|connection rate limit|rate limit(ed|ing)?|throttl|exceeded .*(rate|limit)|slow down)", "Throttling reply"),
        (@"^421 .*(temporarily (deferred|rejected|blocked)|try again later|reputation)", "421: temporarily deferred"),
        (@"^[45]\d\d .*(blocked using|listed (at|in|on) |spamhaus|barracuda|spamcop|poor reputation|reputation of .* is)", "Reputation block"),
    ];

    private readonly (Regex Pattern, string Reason)[] _rules;

    public BackoffRules(IEnumerable<string> extraPatterns)
    {
        _rules = Defaults.Select(d => (Linear(d.Pattern), d.Reason))
            .Concat(extraPatterns.Select(p => (Linear(p), $"matched '{p}'")))
            .ToArray();
    }

    /// <summary>A pattern matched in time linear in the reply's length (no backtracking), so no reply can stall a
    /// delivery and no match depends on how busy the machine is (a match timeout would). An operator's pattern that
    /// needs backtracking (back-references, look-arounds) gets it, bounded by a generous timeout.</summary>
    private static Regex Linear(string pattern)
    {
        const RegexOptions options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;
        try
        {
            return new Regex(pattern, options | RegexOptions.NonBacktracking);
        }
        catch (NotSupportedException)
        {
            return new Regex(pattern, options | RegexOptions.Compiled, TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>The reason a reply puts its queue into backoff, or null when it does not.</summary>
    public string? Match(int code, string enhancedStatus, string text)
    {
        if (code < 400) return null;
        var line = $"{code} {(text.StartsWith(enhancedStatus, StringComparison.Ordinal) ? text : enhancedStatus + " " + text)}";
        foreach (var (pattern, reason) in _rules)
        {
            try
            {
                if (pattern.IsMatch(line)) return reason;
            }
            catch (RegexMatchTimeoutException)
            {
                // A pathological operator pattern must not stall delivery: treat as no match.
            }
        }
        return null;
    }
}
