using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Pipeline.Shared.Configuration;

/// <summary>A rate as operators write it: "10/s", "600/m", "1000/h", "20000/d" or "unlimited".</summary>
public readonly record struct MessageRate(int Count, TimeSpan Per)
{
    public static MessageRate Unlimited { get; } = new(0, TimeSpan.Zero);

    public bool IsUnlimited => Count == 0;

    public static MessageRate Parse(string text) =>
        TryParse(text, out var rate) ? rate : throw new FormatException($"'{text}' is not a rate like 10/s, 600/m, 1000/h or unlimited");

    public static bool TryParse([NotNullWhen(true)] string? text, out MessageRate rate)
    {
        rate = Unlimited;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
        if (s.Equals("unlimited", StringComparison.OrdinalIgnoreCase)) return true;
        var slash = s.IndexOf('/');
        if (slash <= 0) return false;
        if (!int.TryParse(s.AsSpan(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count <= 0) return false;
        var unit = s[(slash + 1)..];
        // "/m" and "/1m" both mean per minute; a bare unit letter is the usual PowerMTA form.
        if (!DurationText.TryParse(char.IsAsciiDigit(unit.FirstOrDefault()) ? unit : "1" + unit, out var per) || per <= TimeSpan.Zero) return false;
        rate = new MessageRate(count, per);
        return true;
    }

    public override string ToString() => IsUnlimited ? "unlimited" : $"{Count}/{DurationText.Format(Per)}";
}
