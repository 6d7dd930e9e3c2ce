namespace Pipeline.Shared.Configuration;

/// <summary>The "Telemetry" section: where traces go. Metrics need no setting (every service serves GET /metrics).</summary>
public sealed class TelemetryOptions
{
    /// <summary>OTLP/gRPC collector for traces, e.g. "http://127.0.0.1:4317"; empty: traces are still made (the trace id
    /// goes into the accounting log) but not exported.</summary>
    public string? OtlpEndpoint { get; set; }
}
