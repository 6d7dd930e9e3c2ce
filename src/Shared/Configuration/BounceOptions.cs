namespace Pipeline.Shared.Configuration;

public sealed class BounceOptions
{
    /// <summary>Domain of the VERP return path that asynchronous bounces come back to.</summary>
    public string? ReturnPathDomain { get; set; }
    /// <summary>Address feedback-loop reports are sent to.</summary>
    public string? FblAddress { get; set; }
}
