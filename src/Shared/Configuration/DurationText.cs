using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Pipeline.Shared.Configuration;

/// <summary>Durations as operators write them: "20s", "10m", "4d12h", "1h30m", "500ms". Units: ms, s, m, h, d, w.</summary>
public static class DurationText
{
    public static TimeSpan Parse(string text) =>
        TryParse(text, out var value) ? value : throw new FormatException($"'{text}' is not a duration like 20s, 10m, 4d12h");

    public static bool TryParse([NotNullWhen(true)] string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim().AsSpan();
        var total = TimeSpan.Zero;
        while (!s.IsEmpty)
        {
            int digits = 0;
            while (digits < s.Length && (char.IsAsciiDigit(s[digits]) || s[digits] == '.')) digits++;
            if (digits == 0) return false;
            if (!double.TryParse(s[..digits], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)) return false;
            s = s[digits..];
            int letters = 0;
            while (letters < s.Length && char.IsAsciiLetter(s[letters])) letters++;
            TimeSpan unit;
            switch (s[..letters])
            {
                case "ms": unit = TimeSpan.FromMilliseconds(1); break;
                case "s": unit = TimeSpan.FromSeconds(1); break;
                case "m": unit = TimeSpan.FromMinutes(1); break;
                case "h": unit = TimeSpan.FromHours(1); break;
                case "d": unit = TimeSpan.FromDays(1); break;
                case "w": unit = TimeSpan.FromDays(7); break;
                default: return false;
            }
            // Guard against values TimeSpan cannot hold ("99999999d"): rejected, not an OverflowException.
            var ticks = unit.Ticks * amount;
            if (double.IsNaN(ticks) || ticks >= TimeSpan.MaxValue.Ticks - total.Ticks) return false;
            total += TimeSpan.FromTicks((long)ticks);
            s = s[letters..];
        }
        value = total;
        return true;
    }

    /// <summary>A retry schedule: one duration or several separated by commas ("5m,15m,1h").</summary>
    public static IReadOnlyList<TimeSpan> ParseSchedule(string text) =>
        TryParseSchedule(text, out var schedule) ? schedule : throw new FormatException($"'{text}' is not a duration or a list like 5m,15m,1h");

    public static bool TryParseSchedule([NotNullWhen(true)] string? text, [NotNullWhen(true)] out IReadOnlyList<TimeSpan>? schedule)
    {
        schedule = null;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var steps = new List<TimeSpan>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!TryParse(part, out var step) || step <= TimeSpan.Zero) return false;
            steps.Add(step);
        }
        schedule = steps;
        return true;
    }

    /// <summary>The shortest text that <see cref="Parse"/> reads back to the same value.</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero) return "0s";
        var parts = new List<string>(4);
        if (value.Days > 0) parts.Add($"{value.Days}d");
        if (value.Hours > 0) parts.Add($"{value.Hours}h");
        if (value.Minutes > 0) parts.Add($"{value.Minutes}m");
        if (value.Seconds > 0) parts.Add($"{value.Seconds}s");
        if (value.Milliseconds > 0) parts.Add($"{value.Milliseconds}ms");
        return string.Concat(parts);
    }
}
