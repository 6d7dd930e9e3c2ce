using System.Buffers.Binary;
using System.Numerics;

namespace Pipeline.Dispatcher.Spool;

/// <summary>CRC-32C (Castagnoli), the checksum of every spool record. System.IO.Hashing 10 has only the IEEE CRC-32;
/// BitOperations.Crc32C uses the processor's CRC32 instruction (SSE4.2, ARMv8) and falls back to a table.</summary>
public static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>Continues a checksum over more data: Append(Compute(a), b) == Compute(a + b).</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        uint c = ~crc;
        while (data.Length >= 8)
        {
            c = BitOperations.Crc32C(c, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }
        foreach (var b in data) c = BitOperations.Crc32C(c, b);
        return ~c;
    }
}
