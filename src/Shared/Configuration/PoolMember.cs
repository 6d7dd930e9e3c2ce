using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Pipeline.Shared.Configuration;

/// <summary>A member of a pool as written in Pools: "mta1" (weight 1) or "mta1:3" (three times the share of a
/// weight-1 member), for pools whose source IPs have different reputations or warm-up stages.</summary>
public readonly record struct PoolMember(string VirtualMta, int Weight)
{
    public static bool TryParse([NotNullWhen(true)] string? text, out PoolMember member)
    {
        member = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var colon = text.LastIndexOf(':');
        if (colon < 0)
        {
            member = new PoolMember(text.Trim(), 1);
            return true;
        }
        if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var weight) || weight is < 1 or > 1000)
            return false;
        member = new PoolMember(text[..colon].Trim(), weight);
        return member.VirtualMta.Length > 0;
    }

    public static PoolMember Parse(string text) =>
        TryParse(text, out var member) ? member : throw new FormatException($"'{text}' is not a VirtualMTA name with an optional :weight");
}
