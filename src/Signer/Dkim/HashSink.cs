using System.Buffers;
using System.Security.Cryptography;

namespace Pipeline.Signer.Dkim;

/// <summary>Feeds canonicalized bytes to SHA-256. Small pieces (a replaced blank, a CRLF) are gathered in a buffer;
/// long runs of unchanged input go to the hash directly, so a large body is not copied.</summary>
internal sealed class HashSink : IDisposable
{
    private const int BufferSize = 8192;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    private int _used;

    public void Write(ReadOnlySpan<byte> data)
    {
        if (data.Length > 256)
        {
            Flush();
            _hash.AppendData(data);
            return;
        }
        if (_used + data.Length > _buffer.Length) Flush();
        data.CopyTo(_buffer.AsSpan(_used));
        _used += data.Length;
    }

    public void Write(byte b)
    {
        if (_used == _buffer.Length) Flush();
        _buffer[_used++] = b;
    }

    public void WriteCrlf()
    {
        if (_used + 2 > _buffer.Length) Flush();
        _buffer[_used++] = (byte)'\r';
        _buffer[_used++] = (byte)'\n';
    }

    /// <summary>Writes the SHA-256 of everything written so far and starts over.</summary>
    public void Finish(Span<byte> sha256)
    {
        Flush();
        _hash.GetHashAndReset(sha256);
    }

    private void Flush()
    {
        if (_used == 0) return;
        _hash.AppendData(_buffer, 0, _used);
        _used = 0;
    }

    public void Dispose()
    {
        _hash.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
    }
}
