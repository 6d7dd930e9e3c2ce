namespace Pipeline.Shared.Configuration;

/// <summary>How long closed files are kept: whole days ("90d", "2w"); "0", empty or absent keep them forever.</summary>
public static class RetentionText
{
    /// <summary>Null for "keep forever".</summary>
    public static bool TryParse(string? text, out int? days)
    {
        days = null;
        if (string.IsNullOrWhiteSpace(text) || text.Trim() == "0") return true;
        if (!DurationText.TryParse(text, out var span) || span < TimeSpan.FromDays(1) || span.Ticks % TimeSpan.TicksPerDay != 0) return false;
        days = (int)span.TotalDays;
        return true;
    }

    public static int? Parse(string? text) =>
        TryParse(text, out var days) ? days : throw new FormatException($"'{text}' is not a number of days like 90d");
}
