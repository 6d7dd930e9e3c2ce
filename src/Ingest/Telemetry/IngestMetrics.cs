using System.Diagnostics.Metrics;
using Pipeline.Ingest.Smtp;

namespace Pipeline.Ingest.Telemetry;

/// <summary>Ingest's instruments (meter "Pipeline.Ingest"): pipeline_messages_accepted_total{source} per message the
/// broker confirmed, and pipeline_smtp_sessions_open, the inbound SMTP sessions being served now.</summary>
public sealed class IngestMetrics
{
    public const string MeterName = "Pipeline.Ingest";

    private readonly Counter<long> _accepted;

    public IngestMetrics(IMeterFactory meters, ConnectionLimiter sessions)
    {
        var meter = meters.Create(MeterName);
        _accepted = meter.CreateCounter<long>("pipeline.messages.accepted", null,
            "Messages accepted (published and confirmed by the broker), by the way they came in: smtp, http or broker");
        meter.CreateObservableGauge("pipeline.smtp.sessions.open", () => (long)sessions.Sessions, null,
            "Inbound SMTP sessions being served now");
    }

    /// <summary>One message accepted through <paramref name="source"/> (smtp, http, broker).</summary>
    public void Accepted(string source) => _accepted.Add(1, new KeyValuePair<string, object?>("source", source));
}
