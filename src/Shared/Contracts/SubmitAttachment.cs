namespace Pipeline.Contracts;

/// <summary>One attachment of a <see cref="SubmitMessage"/>.</summary>
public sealed record SubmitAttachment
{
    /// <summary>File name shown to the recipient.</summary>
    public string? FileName { get; init; }
    /// <summary>MIME type, e.g. application/pdf; application/octet-stream when absent.</summary>
    public string? ContentType { get; init; }
    /// <summary>The file, base64 in JSON.</summary>
    public byte[]? Content { get; init; }
    /// <summary>Content-ID for an inline part referenced from the HTML as cid:...; a regular attachment when absent.</summary>
    public string? ContentId { get; init; }
}
