using System.Diagnostics.Metrics;

namespace Pipeline.BounceProcessor.Telemetry;

/// <summary>The BounceProcessor's instruments (meter "Pipeline.BounceProcessor"): pipeline_bounces_total{category},
/// every classified refusal or DSN; pipeline_feedback_total{type}, complaints by ARF feedback type; and
/// pipeline_accounting_records_total{type}, accounting lines written by record type (d, b, rb, t, f).</summary>
public sealed class BounceProcessorMetrics
{
    public const string MeterName = "Pipeline.BounceProcessor";

    /// <summary>The registered ARF feedback types (RFC 5965, RFC 6430, RFC 6591) and the opt-out some providers send;
    /// anything else a reporter sends counts as "other", so a stranger's report cannot add labels.</summary>
    private static readonly HashSet<string> FeedbackTypes = new(StringComparer.OrdinalIgnoreCase)
        { "abuse", "fraud", "virus", "other", "not-spam", "auth-failure", "opt-out" };

    private readonly Counter<long> _bounces;
    private readonly Counter<long> _feedback;
    private readonly Counter<long> _records;

    public BounceProcessorMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _bounces = meter.CreateCounter<long>("pipeline.bounces", null,
            "Refusals and delivery status notifications classified, by bounce category (soft ones included)");
        _feedback = meter.CreateCounter<long>("pipeline.feedback", null, "Feedback-loop reports received, by ARF feedback type");
        _records = meter.CreateCounter<long>("pipeline.accounting.records", null, "Accounting log lines written, by record type (d, b, rb, t, f)");
    }

    public void Bounce(string category) => _bounces.Add(1, new KeyValuePair<string, object?>("category", category));

    public void Feedback(string feedbackType) =>
        _feedback.Add(1, new KeyValuePair<string, object?>("type", FeedbackTypes.Contains(feedbackType) ? feedbackType.ToLowerInvariant() : "other"));

    public void Recorded(string recordType) => _records.Add(1, new KeyValuePair<string, object?>("type", recordType));
}
