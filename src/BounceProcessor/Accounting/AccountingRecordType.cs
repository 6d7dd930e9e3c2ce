namespace Pipeline.BounceProcessor.Accounting;

/// <summary>PowerMTA's accounting record types.</summary>
public static class AccountingRecordType
{
    /// <summary>Delivered.</summary>
    public const string Delivered = "d";
    /// <summary>Bounced: a permanent failure reported in the SMTP session, or expiry.</summary>
    public const string Bounced = "b";
    /// <summary>Remote bounce: an asynchronous DSN that came back later.</summary>
    public const string RemoteBounce = "rb";
    /// <summary>Transient failure: deferred, will be tried again.</summary>
    public const string Transient = "t";
    /// <summary>Feedback-loop complaint.</summary>
    public const string Feedback = "f";
}
