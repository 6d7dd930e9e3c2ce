namespace Pipeline.Cli;

/// <summary>A request that did not succeed: the service's problem+json (status, title, detail), or no answer at all
/// (<see cref="Status"/> 0), with the sentence to show the operator.</summary>
public sealed class ManagementException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;

    public int ExitCode => Status == 0 ? ExitCodes.Unavailable : ExitCodes.Refused;
}
