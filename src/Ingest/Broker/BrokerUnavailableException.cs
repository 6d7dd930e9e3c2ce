namespace Pipeline.Ingest.Broker;

/// <summary>The broker did not confirm a message built from a pipeline.submit message: the submission is retried.</summary>
public sealed class BrokerUnavailableException(string reason) : Exception(reason);
