using System.Runtime.CompilerServices;

namespace Pipeline.EndToEnd.Tests.Infrastructure;

/// <summary>Where the repository and the services' build output are. The services run from their own output
/// (artifacts/bin/&lt;Project&gt;/&lt;configuration&gt;), exactly as `dotnet run` would run them.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

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

    /// <summary>Above the test assembly, or, when the build output lives elsewhere (--artifacts-path), above this source file.</summary>
    private static string FindRoot([CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile)! })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Pipeline.sln"))) return dir.FullName;
            }
        }
        throw new InvalidOperationException($"Pipeline.sln not found above {AppContext.BaseDirectory} or {sourceFile}");
    }
}
