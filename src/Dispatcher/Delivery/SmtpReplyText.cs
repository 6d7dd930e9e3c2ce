using System.Text.RegularExpressions;
using Pipeline.Contracts;

namespace Pipeline.Dispatcher.Delivery;

/// <summary>Reads the parts of an SMTP reply that decide what happens next.</summary>
public static partial class SmtpReplyText
{
    /// <summary>The enhanced status code (RFC 3463) at the start of the reply text, or one made from the reply's
    /// class (2.0.0, 4.0.0, 5.0.0) when the server gave none.</summary>
    public static string EnhancedStatus(int code, string text)
    {
        // The status group, not the whole match: the match includes any white space before the status.
        var status = EnhancedStatusPattern().Match(text).Groups["status"];
        if (status.Success && status.Value[0] - '0' == code / 100) return status.Value;
        return code switch
        {
            >= 200 and < 300 => "2.0.0",
            >= 400 and < 500 => "4.0.0",
            >= 500 and < 600 => "5.0.0",
            _ => "4.0.0",
        };
    }

    /// <summary>2xx delivered, 4xx deferred, 5xx failed; anything else is treated as transient.</summary>
    public static DeliveryOutcome OutcomeOf(int code) => code switch
    {
        >= 200 and < 300 => DeliveryOutcome.Delivered,
        >= 500 and < 600 => DeliveryOutcome.Failed,
        _ => DeliveryOutcome.Deferred,
    };

    [GeneratedRegex(@"^\s*(?<status>[245]\.\d{1,3}\.\d{1,3})(?=\s|$)")]
    private static partial Regex EnhancedStatusPattern();
}
