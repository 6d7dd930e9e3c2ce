namespace Pipeline.Ingest.Submission;

/// <summary>The SMTP envelope of a submission and where it came from.</summary>
public sealed record Envelope(string MailFrom, IReadOnlyList<string> Recipients, string Channel, string? ClientAddress)
{
    /// <summary>The name the client gave in HELO/EHLO, for the Received header.</summary>
    public string? ClientHelo { get; init; }

    /// <summary>The "with" keyword of the Received header: ESMTP, ESMTPSA, UTF8SMTPS, HTTP ...</summary>
    public string Protocol { get; init; } = "ESMTP";

    /// <summary>VirtualMTA or pool given outside the message (API field); wins over an X-Virtual-MTA header.</summary>
    public string? VirtualMta { get; init; }

    /// <summary>Campaign id given outside the message (API field); wins over an X-Job header.</summary>
    public string? JobId { get; init; }
}
