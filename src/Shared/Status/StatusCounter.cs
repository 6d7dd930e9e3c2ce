namespace Pipeline.Shared.Status;

/// <summary>The counters of the board: messages accepted, and recipient outcomes by PowerMTA's accounting record type.</summary>
public static class StatusCounter
{
    public const string Accepted = "accepted";
    public const string Delivered = "d";
    public const string Bounced = "b";
    public const string RemoteBounced = "rb";
    public const string Deferred = "t";
    public const string Complaint = "f";

    /// <summary>Every counter, in the order the monitor shows them.</summary>
    public static readonly IReadOnlyList<string> All = [Accepted, Delivered, Deferred, Bounced, RemoteBounced, Complaint];

    /// <summary>Outcomes kept among the recent events (a bounce in session, a remote bounce, a complaint).</summary>
    public static bool IsRecent(string type) => type is Bounced or RemoteBounced or Complaint;

    /// <summary>Outcomes whose category counts among the bounce categories.</summary>
    public static bool IsBounce(string type) => type is Bounced or RemoteBounced;

    /// <summary>What an operator calls it.</summary>
    public static string Label(string counter) => counter switch
    {
        Accepted => "accepted",
        Delivered => "delivered",
        Deferred => "deferred",
        Bounced => "bounced",
        RemoteBounced => "remote bounces",
        Complaint => "complaints",
        _ => counter,
    };
}
