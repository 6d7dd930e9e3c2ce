namespace Pipeline.BounceProcessor.Classification;

/// <summary>A compiled enhanced-status pattern: "5.1.1" exact, "5.7" a prefix at a dot, "x.2.2" any class.</summary>
internal readonly struct StatusPattern
{
    private readonly string[] _parts;

    private StatusPattern(string[] parts) => _parts = parts;

    public static bool TryParse(string text, out StatusPattern pattern)
    {
        var parts = text.Split('.');
        pattern = new StatusPattern(parts);
        if (parts.Length is 0 or > 3) return false;
        return parts.All(p => p == "x" || (p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit)));
    }

    public bool Matches(ReadOnlySpan<char> status)
    {
        if (status.IsEmpty) return false;
        for (var i = 0; i < _parts.Length; i++)
        {
            var dot = status.IndexOf('.');
            var head = dot < 0 ? status : status[..dot];
            if (_parts[i] != "x" && !head.SequenceEqual(_parts[i])) return false;
            if (dot < 0) return i == _parts.Length - 1; // the status is shorter than the pattern
            status = status[(dot + 1)..];
        }
        return true;
    }
}
