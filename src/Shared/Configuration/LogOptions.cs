namespace Pipeline.Shared.Configuration;

/// <summary>Logging: the console always; with <see cref="Directory"/> also one file per service and day
/// (&lt;service&gt;-yyyyMMdd.log), closed days gzipped and removed after <see cref="Retention"/>.</summary>
public sealed class LogOptions
{
    /// <summary>Verbose, Debug, Information, Warning, Error or Fatal.</summary>
    public string? Level { get; set; }
    /// <summary>Folder of the log files; empty or absent for the console only.</summary>
    public string? Directory { get; set; }
    /// <summary>How long log files are kept ("30d"); "0" or absent keeps them forever.</summary>
    public string? Retention { get; set; }
}
