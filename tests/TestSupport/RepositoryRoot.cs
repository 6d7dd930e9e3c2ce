using System.Runtime.CompilerServices;

namespace Pipeline.TestSupport;

/// <summary>Finds the repository root (the folder holding Pipeline.sln): above the test assembly, or, when the build
/// output lives elsewhere (--artifacts-path), above this source file.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find([CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, System.IO.Path.GetDirectoryName(sourceFile)! })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "Pipeline.sln"))) return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no Pipeline.sln above {AppContext.BaseDirectory} or {sourceFile}");
    }
}
