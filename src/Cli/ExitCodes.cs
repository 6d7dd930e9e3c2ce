namespace Pipeline.Cli;

/// <summary>Exit codes, sysexits.h where one fits, so scripts can tell a refusal from an outage.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The service answered with a problem (unknown queue, bad input, access refused ...).</summary>
    public const int Refused = 1;
    /// <summary>EX_USAGE: the command line itself is wrong.</summary>
    public const int Usage = 64;
    /// <summary>EX_UNAVAILABLE: the service could not be reached.</summary>
    public const int Unavailable = 69;
}
