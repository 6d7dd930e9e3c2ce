namespace Pipeline.Shared.Configuration;

/// <summary>The configuration cannot be used; <see cref="Exception.Message"/> names the file, each key and its problem.</summary>
public sealed class PipelineConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
