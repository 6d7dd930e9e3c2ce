using Pipeline.Shared.Suppression;

namespace Pipeline.BounceProcessor.State;

/// <summary>A recipient a sender domain must not mail any more.</summary>
/// <param name="SenderDomain">The envelope sender's domain the suppression applies to; "*" for every sender.</param>
/// <param name="Recipient">The suppressed address (lower case).</param>
/// <param name="Reason">Why: the bounce diagnostic or complaint type, or an operator's note.</param>
/// <param name="Category">The bounce category, or "complaint"/"manual".</param>
/// <param name="Source">bounce, complaint or manual.</param>
/// <param name="CreatedAt">When it was suppressed.</param>
public sealed record SuppressionEntry(string SenderDomain, string Recipient, string Reason, string Category, string Source, DateTimeOffset CreatedAt)
{
    public const string AnySender = SuppressionKeys.AnySender;

    public static string Normalise(string address) => SuppressionKeys.Recipient(address);

    /// <summary>The domain part of an address, lower case; "*" when there is none (a null return path).</summary>
    public static string DomainOf(string? address) => SuppressionKeys.SenderDomain(address);
}
