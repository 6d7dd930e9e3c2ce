namespace Pipeline.Ingest.Submission;

/// <summary>The SMTP envelope of a submission and where it came from.</summary>
public sealed record Envelope(string MailFrom, IReadOnlyList<string> Recipients, string Channel, string? ClientAddress);
