namespace Pipeline.Dispatcher.Spool;

/// <summary>Where a record starts: the segment's number in the high 32 bits, the offset inside it in the low 32.
/// A stored message is known by the address of its <see cref="SpoolRecordType.MessageStored"/> record; the records
/// that change it name that address, which is unique for the life of the spool (segment numbers only grow).</summary>
public static class SpoolAddress
{
    public static long Of(int segment, int offset) => ((long)segment << 32) | (uint)offset;

    public static int Segment(long address) => (int)(address >> 32);

    public static int Offset(long address) => (int)(address & 0xFFFF_FFFF);

    public static string Format(long address) => $"{Segment(address)}:{Offset(address)}";
}
