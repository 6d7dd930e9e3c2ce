namespace Pipeline.Ingest.Smtp.Protocol;

/// <summary>The address of a MAIL FROM or RCPT TO (empty for the null reverse-path) and its ESMTP parameters
/// (name to value; null for a parameter without a value, e.g. SMTPUTF8).</summary>
public readonly record struct SmtpPath(string Address, IReadOnlyDictionary<string, string?> Parameters);
