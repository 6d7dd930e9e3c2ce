using System.Runtime.InteropServices;

namespace Pipeline.Shared.Archiving;

/// <summary>fsync of a folder, which .NET cannot do: it makes a rename durable before the renamed file's source is
/// deleted, so a power cut cannot lose both.</summary>
internal static class FolderSync
{
    private const int ReadOnly = 0;

    public static void Flush(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        var fd = open(directory, ReadOnly);
        if (fd < 0) return;
        try { fsync(fd); }
        finally { close(fd); }
    }

#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code in this project for string marshalling; three calls do not warrant it.
    [DllImport("libc", SetLastError = true)]
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int fsync(int fd);

    [DllImport("libc")]
    private static extern int close(int fd);
#pragma warning restore SYSLIB1054
}
