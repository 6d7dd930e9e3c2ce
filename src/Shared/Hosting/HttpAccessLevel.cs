namespace Pipeline.Shared.Hosting;

/// <summary>PowerMTA's http-access levels, in increasing order of what they allow.</summary>
public enum HttpAccessLevel
{
    /// <summary>Nothing but the health probes.</summary>
    None = 0,
    /// <summary>Read-only: the monitor, status pages, metrics.</summary>
    Monitor = 1,
    /// <summary>Everything, including pausing, deleting and reloading.</summary>
    Admin = 2,
}

public static class HttpAccessLevels
{
    public static bool TryParse(string? text, out HttpAccessLevel level)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "none": level = HttpAccessLevel.None; return true;
            case "monitor": level = HttpAccessLevel.Monitor; return true;
            case "admin": level = HttpAccessLevel.Admin; return true;
            default: level = HttpAccessLevel.None; return false;
        }
    }

    public static string Name(this HttpAccessLevel level) => level.ToString().ToLowerInvariant();
}
