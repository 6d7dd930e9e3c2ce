using System.Diagnostics.Metrics;

namespace Pipeline.Signer.Telemetry;

/// <summary>The Signer's instruments (meter "Pipeline.Signer"): pipeline_messages_signed_total, messages that left
/// with at least one DKIM signature, and pipeline_dkim_signatures_total{algorithm}, the signatures made.</summary>
public sealed class SignerMetrics
{
    public const string MeterName = "Pipeline.Signer";

    private readonly Counter<long> _signed;
    private readonly Counter<long> _signatures;

    public SignerMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _signed = meter.CreateCounter<long>("pipeline.messages.signed", null, "Messages signed with at least one DKIM signature");
        _signatures = meter.CreateCounter<long>("pipeline.dkim.signatures", null,
            "DKIM signatures made, by algorithm (rsa-sha256, ed25519-sha256)");
    }

    /// <summary>One message signed with the signatures described (MessageSigner.Result: "d=...; s=...; a=alg").</summary>
    public void Signed(IReadOnlyList<string> signatures)
    {
        if (signatures.Count == 0) return;
        _signed.Add(1);
        foreach (var signature in signatures)
            _signatures.Add(1, new KeyValuePair<string, object?>("algorithm", AlgorithmOf(signature)));
    }

    internal static string AlgorithmOf(string description)
    {
        var at = description.LastIndexOf("a=", StringComparison.Ordinal);
        return at < 0 ? "unknown" : description[(at + 2)..].Trim();
    }
}
