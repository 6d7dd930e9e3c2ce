namespace Pipeline.BounceProcessor.Classification;

/// <summary>PowerMTA's bounce categories: the names a sender's backend acts on. They appear in events, the
/// accounting log's bounceCat field and the rules file, so they never change.</summary>
public static class BounceCategory
{
    public const string BadMailbox = "bad-mailbox";
    public const string BadDomain = "bad-domain";
    public const string InactiveMailbox = "inactive-mailbox";
    public const string InvalidSender = "invalid-sender";
    public const string QuotaIssues = "quota-issues";
    public const string MessageExpired = "message-expired";
    public const string NoAnswerFromHost = "no-answer-from-host";
    public const string PolicyRelated = "policy-related";
    public const string SpamRelated = "spam-related";
    public const string VirusRelated = "virus-related";
    public const string ContentRelated = "content-related";
    public const string ProtocolErrors = "protocol-errors";
    public const string RelayingIssues = "relaying-issues";
    public const string RoutingErrors = "routing-errors";
    public const string BadConnection = "bad-connection";
    public const string BadConfiguration = "bad-configuration";
    public const string Other = "other";

    /// <summary>Every category, for validating a rules file.</summary>
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        BadMailbox, BadDomain, InactiveMailbox, InvalidSender, QuotaIssues, MessageExpired, NoAnswerFromHost,
        PolicyRelated, SpamRelated, VirusRelated, ContentRelated, ProtocolErrors, RelayingIssues, RoutingErrors,
        BadConnection, BadConfiguration, Other,
    };
}
