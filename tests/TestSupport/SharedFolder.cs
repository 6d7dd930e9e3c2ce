using System.Runtime.CompilerServices;

namespace Pipeline.TestSupport;

/// <summary>The team's shared folder beside the repository (../shared): the bounce corpus and the XARF schemas.
/// PIPELINE_SHARED overrides it.</summary>
public static class SharedFolder
{
    public static string Root { get; } = Find();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string Find([CallerFilePath] string sourceFile = "")
    {
        if (Environment.GetEnvironmentVariable("PIPELINE_SHARED") is { Length: > 0 } configured) return configured;
        foreach (var start in new[] { AppContext.BaseDirectory, System.IO.Path.GetDirectoryName(sourceFile)! })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (!File.Exists(System.IO.Path.Combine(dir.FullName, "Pipeline.sln"))) continue;
                var shared = System.IO.Path.GetFullPath(System.IO.Path.Combine(dir.FullName, "..", "shared"));
                if (Directory.Exists(shared)) return shared;
            }
        }
        throw new InvalidOperationException("the shared folder is not at ../shared beside the repository; set PIPELINE_SHARED");
    }
}
