namespace Pipeline.Shared.Messaging;

/// <summary>Exchange and queue names. The pipeline.submit and pipeline.events.* exchanges are external interfaces
/// (DESIGN.md): apps publish to and bind to them by these names, so they never change silently.</summary>
public static class EntityNames
{
    /// <summary>Fanout exchange upstream apps publish <c>SubmitMessage</c> JSON to.</summary>
    public const string Submit = "pipeline.submit";
    /// <summary>Fanout exchange of <c>DeliveryAttempted</c>.</summary>
    public const string DeliveryEvents = "pipeline.events.delivery";
    /// <summary>Fanout exchange of <c>BounceClassified</c>.</summary>
    public const string BounceEvents = "pipeline.events.bounce";
    /// <summary>Fanout exchange of <c>FeedbackReceived</c>.</summary>
    public const string FeedbackEvents = "pipeline.events.feedback";
    /// <summary>Internal: messages Ingest accepted, for the Signer.</summary>
    public const string Accepted = "pipeline.accepted";
    /// <summary>Internal: name of the signed-message type; signed messages are sent to a dispatch queue, not published.</summary>
    public const string Signed = "pipeline.signed";

    /// <summary>Internal: throttling and reputation signals from the BounceProcessor, for the Dispatcher.</summary>
    public const string Backoff = "pipeline.backoff";

    /// <summary>The Dispatchers' queue on pipeline.backoff: one consumer in the fleet is enough, the backoff state is shared.</summary>
    public const string DispatcherBackoffQueue = "pipeline.dispatcher.backoff";
    /// <summary>Internal: bounces and feedback reports Ingest received for the return path / FBL address.</summary>
    public const string InboundReports = "pipeline.inbound-reports";

    /// <summary>The BounceProcessor's queue of inbound reports.</summary>
    public const string InboundReportQueue = "pipeline.bounce-reports";

    /// <summary>Ingest's queue on <see cref="Submit"/>; messages it refuses land in "pipeline.ingest.submit_error"
    /// with the reason in the MT-Fault-Message header.</summary>
    public const string SubmitQueue = "pipeline.ingest.submit";

    /// <summary>The Signer's queue.</summary>
    public const string SignerQueue = "pipeline.signer";
    /// <summary>The accounting writer's queue on pipeline.events.delivery.</summary>
    public const string AccountingQueue = "pipeline.accounting";

    /// <summary>Each VirtualMTA has its own dispatch queue, consumed by the Dispatcher that holds its source IP.</summary>
    public static string DispatchQueue(string virtualMta) => $"dispatch.{virtualMta.ToLowerInvariant()}";
}
