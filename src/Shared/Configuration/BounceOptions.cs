namespace Pipeline.Shared.Configuration;

public sealed class BounceOptions
{
    /// <summary>Domain of the VERP return path that asynchronous bounces come back to.</summary>
    public string? ReturnPathDomain { get; set; }
    /// <summary>Address feedback-loop reports are sent to.</summary>
    public string? FblAddress { get; set; }
    /// <summary>Send with a VERP return path (Shared/Verp: the message and recipient encoded in the envelope sender at
    /// ReturnPathDomain), one transaction per recipient, so every asynchronous bounce maps back to what was sent.</summary>
    public bool Verp { get; set; }
}
