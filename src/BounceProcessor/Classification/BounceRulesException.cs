namespace Pipeline.BounceProcessor.Classification;

/// <summary>A rules file that cannot be used; the message names the file, the rule and the problem.</summary>
public sealed class BounceRulesException(string message, Exception? inner = null) : Exception(message, inner);
