using System.Runtime.InteropServices;

namespace Pipeline.Dispatcher.Spool;

/// <summary>open/fsync/close/posix_fallocate from libc, for what .NET cannot do: fsync a folder, which makes a created or
/// deleted file name durable (a new segment must survive a power cut before records in it are acknowledged).</summary>
internal static partial class DirectorySync
{
    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    internal static partial int FSync(int fd);

    /// <summary>Reserves the file's blocks up front, so that writes through the mapping never allocate on a page fault.</summary>
    [LibraryImport("libc", EntryPoint = "posix_fallocate")]
    internal static partial int Fallocate(nint fd, long offset, long length);

    [LibraryImport("libc", EntryPoint = "close")]
    internal static partial int Close(int fd);
}
