namespace Pipeline.Ingest.Smtp.Protocol;

/// <summary>One command line: the verb and everything after the first space, trimmed. <see cref="Invalid"/> is set
/// for a line that is not valid UTF-8.</summary>
public readonly record struct SmtpCommand(SmtpVerb Verb, string Argument, bool Invalid = false);
