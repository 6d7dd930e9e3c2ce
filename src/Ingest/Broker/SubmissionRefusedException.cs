namespace Pipeline.Ingest.Broker;

/// <summary>A pipeline.submit message that can never be accepted (invalid, too large): it goes to the error queue
/// with this message as its reason (header MT-Fault-Message), without retries.</summary>
public sealed class SubmissionRefusedException(string reason) : Exception(reason);
