using System.Buffers;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Pipeline.BounceProcessor.Classification;

/// <summary>The rules file, compiled once: every literal pattern of every rule goes into one multi-string searcher
/// (SearchValues, a vectorised Aho-Corasick/Teddy search), so a reply is scanned once whatever the number of rules;
/// the few regular expressions are compiled at load and only run when a rule's other conditions already hold.</summary>
public sealed class BounceRuleSet
{
    /// <summary>The rules file shipped with the service, next to the executable.</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "Classification", "bounce-rules.json");

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private readonly CompiledRule[] _rules;
    private readonly string[] _literals;
    // ASCII literals in one searcher (the vectorised fast path needs ASCII), the rare others in a second one that
    // only runs on texts that are not pure ASCII.
    private readonly SearchValues<string> _searcher;
    private readonly SearchValues<string>? _nonAsciiSearcher;
    // Literal indexes by their lower-cased first two characters, to see which literals start where the searcher
    // stopped without trying every literal of the same initial (short common ones like "spam" and "spf" share one).
    private readonly Dictionary<int, int[]> _byPrefix;

    private BounceRuleSet(CompiledRule[] rules, string[] literals)
    {
        _rules = rules;
        _literals = literals;
        _searcher = SearchValues.Create([.. literals.Where(l => System.Text.Ascii.IsValid(l))], StringComparison.OrdinalIgnoreCase);
        var nonAscii = literals.Where(l => !System.Text.Ascii.IsValid(l)).ToArray();
        _nonAsciiSearcher = nonAscii.Length > 0 ? SearchValues.Create(nonAscii, StringComparison.OrdinalIgnoreCase) : null;
        _byPrefix = Enumerable.Range(0, literals.Length)
            .GroupBy(i => PrefixKey(literals[i][0], literals[i][1]))
            .ToDictionary(g => g.Key, g => g.ToArray());
    }

    public IReadOnlyList<ClassificationRule> Rules => [.. _rules.Select(r => r.Source)];

    internal int LiteralCount => _literals.Length;

    public static BounceRuleSet LoadDefault() => Load(DefaultPath);

    public static BounceRuleSet Load(string path)
    {
        if (!File.Exists(path)) throw new BounceRulesException($"Bounce rules file '{path}' does not exist.");
        using var stream = File.OpenRead(path);
        RulesDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<RulesDocument>(stream, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new BounceRulesException($"Bounce rules file '{path}' is not valid JSON: {e.Message}", e);
        }
        return Compile(document?.Rules ?? [], path);
    }

    public static BounceRuleSet Compile(IReadOnlyList<ClassificationRule> rules, string source = "rules")
    {
        if (rules.Count == 0) throw new BounceRulesException($"{source}: there are no rules.");
        var literals = new List<string>();
        var literalIndex = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        int Intern(string text)
        {
            if (!literalIndex.TryGetValue(text, out var i))
            {
                i = literals.Count;
                literals.Add(text);
                literalIndex[text] = i;
            }
            return i;
        }

        var compiled = new CompiledRule[rules.Count];
        for (var r = 0; r < rules.Count; r++)
        {
            var rule = rules[r];
            var where = $"{source}: rule {r} ('{rule.Id}')";
            if (string.IsNullOrWhiteSpace(rule.Id)) throw new BounceRulesException($"{where}: 'id' is empty.");
            if (!BounceCategory.All.Contains(rule.Category))
                throw new BounceRulesException($"{where}: category '{rule.Category}' is not one of {string.Join(", ", BounceCategory.All)}.");
            if (rule.Status.Count + rule.Codes.Count + rule.Text.Count + rule.Regex.Count == 0)
                throw new BounceRulesException($"{where}: it has no condition (status, codes, text or regex).");
            var statuses = new StatusPattern[rule.Status.Count];
            for (var i = 0; i < statuses.Length; i++)
                if (!StatusPattern.TryParse(rule.Status[i], out statuses[i]))
                    throw new BounceRulesException($"{where}: status '{rule.Status[i]}' is not like 5.1.1, 5.7 or x.2.2.");
            if (rule.Text.Concat(rule.Unless).Concat(rule.With).Any(t => string.IsNullOrWhiteSpace(t) || t.Length < 2))
                throw new BounceRulesException($"{where}: a text pattern shorter than two characters would match almost everything.");
            var regexes = new Regex[rule.Regex.Count];
            for (var i = 0; i < regexes.Length; i++)
            {
                try
                {
                    regexes[i] = new Regex(rule.Regex[i],
                        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromSeconds(1));
                }
                catch (ArgumentException e)
                {
                    throw new BounceRulesException($"{where}: regex '{rule.Regex[i]}' is invalid: {e.Message}", e);
                }
            }
            compiled[r] = new CompiledRule(rule, statuses, [.. rule.Codes],
                [.. rule.Text.Select(Intern)], regexes, [.. rule.Unless.Select(Intern)], [.. rule.With.Select(Intern)]);
        }
        return new BounceRuleSet(compiled, [.. literals]);
    }

    /// <summary>Marks, in <paramref name="hits"/> (one bit per literal), every literal that occurs in the text.</summary>
    internal void FindLiterals(ReadOnlySpan<char> text, Span<ulong> hits)
    {
        Scan(text, hits, _searcher);
        if (_nonAsciiSearcher is not null && !System.Text.Ascii.IsValid(text)) Scan(text, hits, _nonAsciiSearcher);
    }

    private void Scan(ReadOnlySpan<char> text, Span<ulong> hits, SearchValues<string> searcher)
    {
        var offset = 0;
        while (offset < text.Length)
        {
            var found = text[offset..].IndexOfAny(searcher);
            if (found < 0) return;
            var at = offset + found;
            if (at + 1 < text.Length && _byPrefix.TryGetValue(PrefixKey(text[at], text[at + 1]), out var candidates))
            {
                var rest = text[at..];
                foreach (var i in candidates)
                    if (rest.StartsWith(_literals[i], StringComparison.OrdinalIgnoreCase)) hits[i >> 6] |= 1UL << (i & 63);
            }
            offset = at + 1;
        }
    }

    private static int PrefixKey(char first, char second) => (char.ToLowerInvariant(first) << 16) | char.ToLowerInvariant(second);

    /// <summary>The first rule whose conditions hold, or null.</summary>
    internal ClassificationRule? FirstMatch(ReadOnlySpan<char> text, int code, ReadOnlySpan<char> status, ReadOnlySpan<ulong> hits, string textString)
    {
        foreach (var rule in _rules)
            if (rule.Holds(code, status, hits, textString)) return rule.Source;
        return null;
    }

    private sealed record RulesDocument
    {
        public List<ClassificationRule> Rules { get; init; } = [];
    }

    private sealed class CompiledRule(ClassificationRule source, StatusPattern[] statuses, int[] codes,
        int[] literals, Regex[] regexes, int[] unless, int[] with)
    {
        public ClassificationRule Source { get; } = source;

        public bool Holds(int code, ReadOnlySpan<char> status, ReadOnlySpan<ulong> hits, string text)
        {
            if (statuses.Length > 0 && !AnyStatus(status)) return false;
            if (codes.Length > 0 && Array.IndexOf(codes, code) < 0) return false;
            foreach (var i in unless)
                if (IsHit(hits, i)) return false;
            if (with.Length > 0 && !AnyHit(hits, with)) return false;
            if (literals.Length == 0 && regexes.Length == 0) return true;
            foreach (var i in literals)
                if (IsHit(hits, i)) return true;
            foreach (var regex in regexes)
            {
                try
                {
                    if (regex.IsMatch(text)) return true;
                }
                catch (RegexMatchTimeoutException)
                {
                    // A pathological text must not stop classification: the rule simply does not apply.
                }
            }
            return false;
        }

        private bool AnyStatus(ReadOnlySpan<char> status)
        {
            foreach (var pattern in statuses)
                if (pattern.Matches(status)) return true;
            return false;
        }

        private static bool AnyHit(ReadOnlySpan<ulong> hits, int[] indexes)
        {
            foreach (var i in indexes)
                if (IsHit(hits, i)) return true;
            return false;
        }

        private static bool IsHit(ReadOnlySpan<ulong> hits, int i) => (hits[i >> 6] & (1UL << (i & 63))) != 0;
    }
}
