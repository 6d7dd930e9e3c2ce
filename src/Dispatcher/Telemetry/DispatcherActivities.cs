using System.Diagnostics;
using Pipeline.Dispatcher.Spool;

namespace Pipeline.Dispatcher.Telemetry;

/// <summary>The activity source "Pipeline.Dispatcher": one "deliver" activity per delivery attempt of a message's
/// recipients at one domain. Delivery runs later than the consume that stored the message, from the spool, so the
/// consume's traceparent is stored with the message and each attempt continues that trace.</summary>
public static class DispatcherActivities
{
    public const string SourceName = "Pipeline.Dispatcher";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>The W3C traceparent of <paramref name="activity"/>, to store with the message; null without one.</summary>
    public static string? TraceParentOf(Activity? activity) =>
        activity is { IdFormat: ActivityIdFormat.W3C } ? activity.Id : null;

    /// <summary>Starts the attempt's activity under the stored traceparent (a new trace when there is none, as for
    /// messages spooled before traceparents were kept), and makes it current.</summary>
    public static Activity? StartAttempt(DueDelivery work, string virtualMta, string domain)
    {
        // Without a stored parent: a trace of its own, never a child of whatever runs the worker. The callers are
        // async methods, so clearing the async-local current activity stays within their flow.
        if (!ActivityContext.TryParse(work.TraceParent, null, isRemote: true, out var parent)) Activity.Current = null;
        return Source.StartActivity("deliver", ActivityKind.Client, parent,
        [
            new("pipeline.message_id", work.Message.MessageId.ToString()),
            new("pipeline.vmta", virtualMta),
            new("pipeline.domain", domain),
            new("pipeline.recipients", work.Recipients.Count),
        ]);
    }
}
