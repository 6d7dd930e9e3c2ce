namespace Pipeline.EndToEnd.Tests.Infrastructure;

/// <summary>Where the repository and the services' build output are. The services run from their own output
/// (artifacts/bin/&lt;Project&gt;/&lt;configuration&gt;), exactly as `dotnet run` would run them.</summary>
public static class RepoPaths
{
    public static string Root => RepositoryRoot.Path;

    public static string ServiceDll(string project)
    {
        // This assembly runs from <artifacts>/bin/EndToEnd.Tests/<configuration>/; the services' output sits beside
        // it, built in the same configuration, wherever the artifacts folder is (--artifacts-path moves it).
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var bin = output.Parent!.Parent!.FullName;
        var dll = Path.Combine(bin, project, output.Name, project + ".dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"{project} is not built: {dll}");
        return dll;
    }
}
