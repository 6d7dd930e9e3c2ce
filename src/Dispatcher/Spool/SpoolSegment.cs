using System.Buffers;
using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Pipeline.Dispatcher.Spool;

/// <summary>One append-only segment file of a spool, mapped into memory with a fixed capacity.
/// <code>
/// File layout (every integer little-endian; the file is created at its full capacity, zero-filled):
///   header, 32 bytes
///     0  u32  magic 0x4C4F5053 ("SPOL")
///     4  u16  format version, 1
///     6  u16  0
///     8  i32  segment number (file name spool-&lt;number:D10&gt;.seg; numbers only grow)
///    12  i32  0
///    16  i64  capacity: the file's length in bytes
///    24  u32  CRC-32C of bytes 0..23
///    28  u32  0
///   records, from offset 32, back to back, no padding
///     +0  u32  payload length n, at least 1
///     +4  u32  CRC-32C of the type byte and the payload (bytes +8 .. +9+n)
///     +8  u8   record type (<see cref="SpoolRecordType"/>)
///     +9  n    payload (<see cref="SpoolRecordCodec"/>)
///   a length of 0 where a record would start ends the records (the rest of the file is zeros).
/// </code>
/// The mapping is read-only: records are read through it (the body of a message to deliver, the scan at start) but
/// written with pwrite. An append encodes its record into a pooled buffer of the segment's unwritten tail;
/// <see cref="Flush"/> writes that buffer at its offset with one pwrite and then fdatasync's the file. Writing
/// through a shared mapping instead cost more than the disk: every page msync writes back is write-protected again,
/// a TLB shootdown across the cores per 4 KB page, which was two thirds of the spool's CPU on a fast disk. The file's
/// length never changes after creation (its blocks are reserved then with posix_fallocate), and creation is
/// fsync'ed with its folder, so no metadata beyond what fdatasync writes is at stake.
/// After a crash any record whose bytes did not all reach the disk fails its CRC: the scan stops there (torn tail)
/// or, when valid records follow, skips it and reports it.</summary>
public sealed unsafe partial class SpoolSegment : IDisposable
{
    public const int HeaderSize = 32;
    public const int RecordHeaderSize = 9;
    private const uint Magic = 0x4C4F5053;
    private const ushort FormatVersion = 1;

    /// <summary>The first size of a tail buffer; it doubles as a group of appends outgrows it.</summary>
    private const int InitialBufferBytes = 256 * 1024;

    private readonly SafeFileHandle _handle;
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;
    private bool _disposed;

    // The records appended since the last flush began (from file offset _pendingStart), and those a running flush is
    // writing (from _writingStart): reads of them are served from here until pwrite has put them in the file.
    private readonly Lock _buffers = new();
    private byte[]? _pending;
    private int _pendingLength;
    private long _pendingStart;
    private byte[]? _writing;
    private int _writingLength;
    private long _writingStart;

    public int Number { get; }
    public long Capacity { get; }
    public string Path { get; }
    /// <summary>Where the next record goes.</summary>
    public int Tail { get => Volatile.Read(ref _tail); private set => Volatile.Write(ref _tail, value); }
    // Written under the spool's lock by appends, read by the flusher (Volatile: it must see every record appended
    // before its group closed).
    private int _tail = HeaderSize;

    private SpoolSegment(string path, int number, long capacity, SafeFileHandle handle)
    {
        Path = path;
        Number = number;
        Capacity = capacity;
        _handle = handle;
        _file = MemoryMappedFile.CreateFromFile(handle, mapName: null, capacity, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
        _view = _file.CreateViewAccessor(0, capacity, MemoryMappedFileAccess.Read);
        byte* pointer = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _base = pointer + _view.PointerOffset;
    }

    public static string FileName(int number) => $"spool-{number:D10}.seg";

    /// <summary>The room a record with this payload takes.</summary>
    public static long RecordSize(int payloadLength) => RecordHeaderSize + (long)payloadLength;

    /// <summary>Creates a new, empty segment file of <paramref name="capacity"/> bytes and makes its existence durable.</summary>
    public static SpoolSegment Create(string directory, int number, long capacity)
    {
        var path = System.IO.Path.Combine(directory, FileName(number));
        using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read))
        {
            stream.SetLength(capacity);
            // A sparse file would allocate its blocks during the appends' writes; reserved now, a write only fills them.
            if (OperatingSystem.IsLinux()) DirectorySync.Fallocate(stream.SafeFileHandle.DangerousGetHandle(), 0, capacity);
            Span<byte> header = stackalloc byte[HeaderSize];
            header.Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
            BinaryPrimitives.WriteUInt16LittleEndian(header[4..], FormatVersion);
            BinaryPrimitives.WriteInt32LittleEndian(header[8..], number);
            BinaryPrimitives.WriteInt64LittleEndian(header[16..], capacity);
            BinaryPrimitives.WriteUInt32LittleEndian(header[24..], Crc32C.Compute(header[..24]));
            stream.Write(header);
            stream.Flush(flushToDisk: true);
        }
        SyncDirectory(directory);
        return Map(path, number, capacity);
    }

    /// <summary>Opens an existing segment, or returns null with the reason when its header is not a valid one.
    /// A file shorter than its capacity (a copy cut short) is extended with zeros.</summary>
    public static SpoolSegment? Open(string path, out string? problem)
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        long length;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read))
        {
            length = stream.Length;
            if (stream.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false) < HeaderSize)
            {
                problem = $"the file has {length} bytes, less than a segment header";
                return null;
            }
            if (BinaryPrimitives.ReadUInt32LittleEndian(header) != Magic || BinaryPrimitives.ReadUInt32LittleEndian(header[24..]) != Crc32C.Compute(header[..24]))
            {
                problem = "the header is not a spool segment header (bad magic or checksum)";
                return null;
            }
            var version = BinaryPrimitives.ReadUInt16LittleEndian(header[4..]);
            if (version != FormatVersion)
            {
                problem = $"format version {version} is not {FormatVersion}";
                return null;
            }
            var capacity = BinaryPrimitives.ReadInt64LittleEndian(header[16..]);
            if (capacity < HeaderSize + RecordHeaderSize || capacity > int.MaxValue)
            {
                problem = $"capacity {capacity} is out of range";
                return null;
            }
            if (length < capacity) stream.SetLength(capacity);
            length = capacity;
        }
        problem = null;
        return Map(path, BinaryPrimitives.ReadInt32LittleEndian(header[8..]), length);
    }

    private static SpoolSegment Map(string path, int number, long capacity)
    {
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            return new SpoolSegment(path, number, capacity, handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Writes a record of <paramref name="payloadLength"/> bytes at the tail, the payload filled in by
    /// <paramref name="write"/>. Returns false, writing nothing, when the record does not fit.</summary>
    public bool TryAppend<TState>(SpoolRecordType type, int payloadLength, TState state, SpanWriter<TState> write, out int offset)
        where TState : allows ref struct
    {
        offset = Tail;
        if (payloadLength <= 0 || Tail + RecordSize(payloadLength) > Capacity) return false;
        var size = RecordHeaderSize + payloadLength;
        lock (_buffers)
        {
            if (_pending is null)
            {
                _pending = ArrayPool<byte>.Shared.Rent(Math.Max(InitialBufferBytes, size));
                _pendingStart = Tail;
                _pendingLength = 0;
            }
            else if (_pendingLength + size > _pending.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_pending.Length * 2, _pendingLength + size));
                _pending.AsSpan(0, _pendingLength).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_pending);
                _pending = larger;
            }
            var record = _pending.AsSpan(_pendingLength, size);
            record[8] = (byte)type;
            write(record[RecordHeaderSize..], state);
            BinaryPrimitives.WriteUInt32LittleEndian(record[4..], Crc32C.Compute(record[8..]));
            BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)payloadLength);
            _pendingLength += size;
        }
        Tail += size;
        return true;
    }

    /// <summary>The payload of the record at <paramref name="offset"/>, which must be one this segment wrote or
    /// scanned. The span points into the mapping: copy what must outlive the segment.</summary>
    public ReadOnlySpan<byte> Payload(int offset, out SpoolRecordType type)
    {
        lock (_buffers)
        {
            // Not in the file yet: a copy, since the buffer goes back to the pool once written.
            if (_pending is not null && offset >= _pendingStart) return Unwritten(_pending, (int)(offset - _pendingStart), out type);
            if (_writing is not null && offset >= _writingStart) return Unwritten(_writing, (int)(offset - _writingStart), out type);
        }
        var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(_base + offset, 4));
        type = (SpoolRecordType)_base[offset + 8];
        return new ReadOnlySpan<byte>(_base + offset + RecordHeaderSize, length);
    }

    private static ReadOnlySpan<byte> Unwritten(byte[] buffer, int at, out SpoolRecordType type)
    {
        var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(at, 4));
        type = (SpoolRecordType)buffer[at + 8];
        return buffer.AsSpan(at + RecordHeaderSize, length).ToArray();
    }

    /// <summary>Walks the records from the start, calling <paramref name="visit"/> for each valid one, and sets
    /// <see cref="Tail"/> after the last valid record. A record that fails its checksum is skipped and counted when a
    /// valid record follows it somewhere (damage in the middle); when none follows, the scan ends there (a torn tail).</summary>
    public SegmentScan Scan(RecordVisitor visit)
    {
        var scan = new SegmentScan();
        long offset = HeaderSize;
        while (true)
        {
            var valid = ValidAt(offset, out var length);
            if (valid)
            {
                visit(this, (int)offset, (SpoolRecordType)_base[offset + 8], new ReadOnlySpan<byte>(_base + offset + RecordHeaderSize, length));
                scan.Records++;
                offset += RecordHeaderSize + length;
                continue;
            }
            if (length == 0 && IsZero(offset, Capacity)) break;
            // Not a valid record, and not the clean end: find the next valid record, if any, to tell damage from a tail.
            var next = NextValidAfter(offset);
            if (next < 0)
            {
                scan.TornTailBytes = (int)(Capacity - offset);
                break;
            }
            scan.CorruptRecords++;
            scan.CorruptBytes += next - offset;
            scan.FirstCorruptOffset ??= (int)offset;
            offset = next;
        }
        Tail = (int)offset;
        return scan;
    }

    /// <summary>Zeroes everything after the tail, so the bytes of a torn record can never be read as part of a later
    /// one. Only for the segment that will be written to next.</summary>
    public void ClearAfterTail()
    {
        var rest = new ReadOnlySpan<byte>(_base + Tail, (int)(Capacity - Tail));
        var last = rest.LastIndexOfAnyExcept((byte)0);
        if (last < 0) return;
        var zeros = new byte[Math.Min(last + 1, 1 << 20)];
        for (long at = Tail, end = Tail + last + 1; at < end; at += zeros.Length)
            RandomAccess.Write(_handle, zeros.AsSpan(0, (int)Math.Min(zeros.Length, end - at)), at);
        DataSync();
    }

    /// <summary>Writes what was appended since the last flush (one pwrite at its offset) and fdatasync's the file:
    /// returns when those records are on the device. Appends may go on meanwhile; they form the next flush.</summary>
    public void Flush()
    {
        // A flush that failed left its records in _writing (still readable there): they go first, in file order.
        if (_writing is not null) WriteOut();
        lock (_buffers)
        {
            if (_pending is null) return;
            _writing = _pending;
            _writingLength = _pendingLength;
            _writingStart = _pendingStart;
            _pending = null;
        }
        WriteOut();
    }

    /// <summary>pwrite of the detached records at their offset, fdatasync, then the buffer goes back to the pool. On
    /// an error the buffer stays, so its records can still be read and are written again by the next flush.</summary>
    private void WriteOut()
    {
        RandomAccess.Write(_handle, _writing.AsSpan(0, _writingLength), _writingStart);
        DataSync();
        byte[] written;
        lock (_buffers)
        {
            written = _writing!;
            _writing = null;
        }
        ArrayPool<byte>.Shared.Return(written);
    }

    private void DataSync()
    {
        if (!OperatingSystem.IsLinux())
        {
            RandomAccess.FlushToDisk(_handle);
            return;
        }
        if (Fdatasync(_handle) != 0)
            throw new IOException($"fdatasync of {Path} failed: {Marshal.GetLastPInvokeErrorMessage()}");
    }

    [LibraryImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static partial int Fdatasync(SafeFileHandle fd);

    private bool ValidAt(long offset, out int length)
    {
        length = 0;
        if (offset + RecordHeaderSize > Capacity) return false;
        var raw = BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(_base + offset, 4));
        if (raw == 0 || raw > Capacity - offset - RecordHeaderSize)
        {
            length = raw == 0 ? 0 : -1;
            return false;
        }
        length = (int)raw;
        var type = _base[offset + 8];
        if (type is < (byte)SpoolRecordType.MessageStored or > (byte)SpoolRecordType.MessageRemoved) return false;
        var crc = BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(_base + offset + 4, 4));
        return crc == Crc32C.Compute(new ReadOnlySpan<byte>(_base + offset + 8, length + 1));
    }

    private long NextValidAfter(long offset)
    {
        for (long candidate = offset + 1; candidate + RecordHeaderSize <= Capacity; candidate++)
        {
            // Most candidates fail on the length alone; only plausible ones cost a checksum.
            if (ValidAt(candidate, out var length)) return candidate;
            if (length != 0) continue;
            // A record's length has a non-zero byte among its first four: jump over runs of zeros.
            var nonZero = new ReadOnlySpan<byte>(_base + candidate, (int)(Capacity - candidate)).IndexOfAnyExcept((byte)0);
            if (nonZero < 0) return -1;
            if (nonZero > 4) candidate += nonZero - 4;
        }
        return -1;
    }

    private bool IsZero(long from, long to) => new ReadOnlySpan<byte>(_base + from, (int)(to - from)).IndexOfAnyExcept((byte)0) < 0;

    /// <summary>Makes a created or deleted file name durable: fsync of the folder (Linux; elsewhere a no-op).</summary>
    public static void SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux()) return;
        // .NET opens no handle on a folder, so this goes to libc directly.
        var fd = DirectorySync.Open(directory, 0);
        if (fd < 0) return;
        try { DirectorySync.FSync(fd); }
        finally { DirectorySync.Close(fd); }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
        _handle.Dispose();
        lock (_buffers)
        {
            if (_pending is not null) ArrayPool<byte>.Shared.Return(_pending);
            if (_writing is not null) ArrayPool<byte>.Shared.Return(_writing);
            _pending = null;
            _writing = null;
        }
    }
}

/// <summary>Fills a record's payload.</summary>
public delegate void SpanWriter<in TState>(Span<byte> payload, TState state) where TState : allows ref struct;

/// <summary>Called for each valid record a scan finds; the payload points into the mapping.</summary>
public delegate void RecordVisitor(SpoolSegment segment, int offset, SpoolRecordType type, ReadOnlySpan<byte> payload);

/// <summary>What a scan of one segment found.</summary>
public sealed class SegmentScan
{
    public int Records { get; set; }
    public int CorruptRecords { get; set; }
    public long CorruptBytes { get; set; }
    public int? FirstCorruptOffset { get; set; }
    /// <summary>When the records end in something that is neither a valid record nor zeros (a record cut by a crash):
    /// the bytes from there to the end of the segment; otherwise 0.</summary>
    public int TornTailBytes { get; set; }
}
