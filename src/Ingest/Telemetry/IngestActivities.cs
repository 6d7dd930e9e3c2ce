using System.Diagnostics;

namespace Pipeline.Ingest.Telemetry;

/// <summary>The activity source "Pipeline.Ingest": one "accept" activity per accepted message, the root of the trace
/// that follows it through signing to every delivery attempt (MassTransit carries the context in message headers).</summary>
public static class IngestActivities
{
    public const string SourceName = "Pipeline.Ingest";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>Starts the message's own trace. A new root, not a child of the SMTP session, HTTP request or broker
    /// consume that brought it: one trace per message, however many arrived together; the caller's activity is linked.</summary>
    public static Activity? StartAccept(Guid messageId, string channel)
    {
        var caller = Activity.Current;
        // Activity.Current is async-local: the callers are async methods, so clearing it stays within their flow.
        Activity.Current = null;
        var activity = Source.StartActivity("accept", ActivityKind.Producer, parentContext: default,
            tags: [new("pipeline.message_id", messageId.ToString()), new("pipeline.source", channel)],
            links: caller is null ? null : [new ActivityLink(caller.Context)]);
        if (activity is null) Activity.Current = caller;
        return activity;
    }
}
