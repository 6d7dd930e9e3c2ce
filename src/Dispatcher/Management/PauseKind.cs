namespace Pipeline.Dispatcher.Management;

/// <summary>The scope of an operator's pause.</summary>
public enum PauseKind
{
    /// <summary>One VirtualMTA towards one destination domain.</summary>
    Queue,
    /// <summary>Every queue of one VirtualMTA.</summary>
    VirtualMta,
    /// <summary>Every recipient of one job (X-Job), in every VirtualMTA.</summary>
    Job,
}
