namespace Pipeline.Ingest.Smtp.Protocol;

/// <summary>The content of one message as it arrives, up to a limit. Beyond the limit it keeps counting but stops
/// storing, so the session can read the rest of the data and then refuse with 552 (RFC 5321 4.5.3.1.10) instead
/// of dropping the connection.</summary>
public sealed class MessageBuffer(long limit)
{
    private byte[] _bytes = [];
    private int _length;

    /// <summary>Bytes received, stored or not.</summary>
    public long Received { get; private set; }

    /// <summary>True once more than the limit arrived.</summary>
    public bool Overflowed => Received > limit;

    public ReadOnlyMemory<byte> Content => _bytes.AsMemory(0, _length);

    public void Write(ReadOnlySpan<byte> data)
    {
        Received += data.Length;
        if (Overflowed) return;
        if (_length + data.Length > _bytes.Length)
            Array.Resize(ref _bytes, (int)Math.Min(limit, Math.Max(_bytes.Length * 2L, Math.Max(16 * 1024L, _length + data.Length))));
        data.CopyTo(_bytes.AsSpan(_length));
        _length += data.Length;
    }

    public void WriteByte(byte b) => Write([b]);
}
