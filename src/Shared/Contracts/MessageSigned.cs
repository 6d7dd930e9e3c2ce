namespace Pipeline.Contracts;

/// <summary>A message carrying its DKIM signatures, sent to the dispatch queue of the VirtualMTA chosen for it.</summary>
public sealed record MessageSigned
{
    /// <summary>The pipeline's id, as in <see cref="MessageAccepted"/>.</summary>
    public required Guid MessageId { get; init; }
    /// <summary>When Ingest accepted the message; the age that BounceAfter is measured from.</summary>
    public required DateTimeOffset AcceptedAt { get; init; }
    /// <summary>Envelope sender.</summary>
    public required string MailFrom { get; init; }
    /// <summary>Envelope recipients.</summary>
    public required IReadOnlyList<string> Recipients { get; init; }
    /// <summary>The concrete VirtualMTA (not a pool) this message leaves from.</summary>
    public required string VirtualMta { get; init; }
    /// <summary>Campaign id.</summary>
    public string? JobId { get; init; }
    /// <summary>The Message-ID header of the content, without angle brackets.</summary>
    public string? HeaderMessageId { get; init; }
    /// <summary>The signatures added, as "d=domain; s=selector; a=algorithm"; empty when the author domain has no key.</summary>
    public required IReadOnlyList<string> Signatures { get; init; }
    /// <summary>The message with its DKIM-Signature headers prepended; the rest is byte-for-byte what Ingest accepted.</summary>
    public required byte[] Content { get; init; }
}
