using System.Runtime.InteropServices;

namespace Pipeline.Dispatcher.Spool;

/// <summary>open/fsync/close from libc, for the one thing .NET cannot do: fsync a folder, which makes a created or
/// deleted file name durable (a new segment must survive a power cut before records in it are acknowledged).</summary>
internal static partial class DirectorySync
{
    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    internal static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    internal static partial int Close(int fd);
}
