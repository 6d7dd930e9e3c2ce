using System.Globalization;
using System.Text.Json;

namespace Pipeline.Cli;

/// <summary>Reading the services' camelCase JSON for tables: a missing or null field reads as empty.</summary>
public static class JsonFields
{
    public static string Text(this JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString() ?? "",
            JsonValueKind.Number => v.GetRawText(),
            JsonValueKind.True => "yes",
            JsonValueKind.False => "no",
            JsonValueKind.Array => string.Join(",", v.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString() : x.GetRawText())),
            _ => "",
        } : "";

    public static long Number(this JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0;

    public static bool Flag(this JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    /// <summary>How long ago a timestamp field was, as 45s, 12m, 3h05m, 2d04h; empty when absent.</summary>
    public static string Age(this JsonElement e, string name, DateTimeOffset now)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.String
            || !DateTimeOffset.TryParse(v.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            || at.Year < 2000) return "";
        var age = now - at;
        if (age < TimeSpan.Zero) age = TimeSpan.Zero;
        return age.TotalSeconds < 60 ? $"{(int)age.TotalSeconds}s"
            : age.TotalMinutes < 60 ? $"{(int)age.TotalMinutes}m"
            : age.TotalHours < 24 ? $"{(int)age.TotalHours}h{age.Minutes:00}m"
            : $"{(int)age.TotalDays}d{age.Hours:00}h";
    }
}
