namespace Pipeline.Dispatcher.Management;

/// <summary>What an operator paused, PowerMTA's `pmta pause queue|vmta|job`: a queue (VirtualMTA and destination
/// domain), a whole VirtualMTA, or a job (X-Job id) in every VirtualMTA. <see cref="Key"/> is its name in the pause
/// store: "queue:mta1/example.com", "vmta:mta1", "job:spring-sale"; names are lower-cased, job ids kept as sent.</summary>
public sealed record PauseTarget
{
    public required PauseKind Kind { get; init; }
    public string? VirtualMta { get; init; }
    public string? Domain { get; init; }
    public string? JobId { get; init; }

    public static PauseTarget Queue(string virtualMta, string domain) =>
        new() { Kind = PauseKind.Queue, VirtualMta = virtualMta.ToLowerInvariant(), Domain = domain.ToLowerInvariant() };

    public static PauseTarget WholeVirtualMta(string virtualMta) => new() { Kind = PauseKind.VirtualMta, VirtualMta = virtualMta.ToLowerInvariant() };

    public static PauseTarget Job(string jobId) => new() { Kind = PauseKind.Job, JobId = jobId };

    public string Key => Kind switch
    {
        PauseKind.Queue => $"queue:{VirtualMta}/{Domain}",
        PauseKind.VirtualMta => $"vmta:{VirtualMta}",
        _ => $"job:{JobId}",
    };

    /// <summary>Reads a <see cref="Key"/> back; null for a key this version does not know.</summary>
    public static PauseTarget? FromKey(string key)
    {
        var colon = key.IndexOf(':');
        if (colon <= 0 || colon == key.Length - 1) return null;
        var value = key[(colon + 1)..];
        switch (key[..colon])
        {
            case "queue":
                var slash = value.IndexOf('/');
                return slash > 0 && slash < value.Length - 1 ? Queue(value[..slash], value[(slash + 1)..]) : null;
            case "vmta":
                return WholeVirtualMta(value);
            case "job":
                return Job(value);
            default:
                return null;
        }
    }

    /// <summary>True when this pause holds work of <paramref name="virtualMta"/> for <paramref name="domain"/> and
    /// <paramref name="jobId"/>.</summary>
    public bool Holds(string virtualMta, string domain, string? jobId) => Kind switch
    {
        PauseKind.Queue => virtualMta.Equals(VirtualMta, StringComparison.OrdinalIgnoreCase) && domain.Equals(Domain, StringComparison.OrdinalIgnoreCase),
        PauseKind.VirtualMta => virtualMta.Equals(VirtualMta, StringComparison.OrdinalIgnoreCase),
        _ => jobId is not null && jobId == JobId,
    };

    public override string ToString() => Key;
}
