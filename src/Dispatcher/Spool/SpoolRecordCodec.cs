using System.Buffers.Binary;
using System.Text;
using Pipeline.Contracts;

namespace Pipeline.Dispatcher.Spool;

/// <summary>The payloads of the three record types (framing is <see cref="SpoolSegment"/>'s). Little-endian; a string is
/// a u16 byte count (0xFFFF for null) and its UTF-8 bytes.
/// <code>
/// MessageStored
///   16  message id (Guid.TryWriteBytes order)
///    8  accepted at, UTC ticks
///    8  supersedes: address of the MessageStored record this copy replaces (compaction), 0 for none
///   str mail from | str VirtualMTA | str? job id | str? header Message-ID
///   u16 signature count, str each
///   u16 recipient count, each: u8 state, u16 attempts, i64 next attempt UTC ticks, str address
///   i32 body length, body
///   str W3C traceparent of the consume that stored it (optional: records written before it existed end at the body)
/// RecipientChanged: i64 message address, u16 recipient index, u8 state, u16 attempts, i64 next attempt UTC ticks
/// MessageRemoved:   i64 message address
/// </code></summary>
public static class SpoolRecordCodec
{
    public const int RecipientChangedLength = 21;
    public const int MessageRemovedLength = 8;
    public const int MaxRecipients = ushort.MaxValue;
    private const ushort NullString = 0xFFFF;
    private const int MaxStringBytes = 0xFFFE;

    public static int MessageStoredLength(MessageSigned message, string? traceParent = null)
    {
        long length = 16 + 8 + 8 + Str(message.MailFrom) + Str(message.VirtualMta) + Str(message.JobId) + Str(message.HeaderMessageId)
            + 2 + 2 + 4 + message.Content.Length + (traceParent is null ? 0 : Str(traceParent));
        if (message.Signatures.Count > ushort.MaxValue) throw new ArgumentException("more than 65535 signatures", nameof(message));
        if (message.Recipients.Count is 0 or > MaxRecipients)
            throw new ArgumentException($"a message needs 1 to {MaxRecipients} recipients, this one has {message.Recipients.Count}", nameof(message));
        foreach (var s in message.Signatures) length += Str(s);
        foreach (var r in message.Recipients) length += 1 + 2 + 8 + Str(r);
        if (length > int.MaxValue - SpoolSegment.HeaderSize - SpoolSegment.RecordHeaderSize)
            throw new ArgumentException("the message is too large for a spool record", nameof(message));
        return (int)length;

        static int Str(string? s)
        {
            if (s is null) return 2;
            var bytes = Encoding.UTF8.GetByteCount(s);
            if (bytes > MaxStringBytes) throw new ArgumentException($"a field of {bytes} bytes is longer than {MaxStringBytes}");
            return 2 + bytes;
        }
    }

    /// <summary>Writes a MessageStored payload of exactly <see cref="MessageStoredLength"/> bytes; the traceparent only
    /// when there is one, so a record without it is byte for byte the older format.</summary>
    public static void WriteMessageStored(Span<byte> payload, MessageSigned message, ReadOnlySpan<RecipientStatus> recipients, long supersedes,
        string? traceParent = null)
    {
        var w = new SpanCursor(payload);
        message.MessageId.TryWriteBytes(w.Take(16));
        w.Int64(message.AcceptedAt.UtcTicks);
        w.Int64(supersedes);
        w.String(message.MailFrom);
        w.String(message.VirtualMta);
        w.String(message.JobId);
        w.String(message.HeaderMessageId);
        w.UInt16((ushort)message.Signatures.Count);
        foreach (var s in message.Signatures) w.String(s);
        w.UInt16((ushort)message.Recipients.Count);
        for (int i = 0; i < message.Recipients.Count; i++)
        {
            w.Byte((byte)recipients[i].State);
            w.UInt16(recipients[i].Attempts);
            w.Int64(recipients[i].NextAttemptTicks);
            w.String(message.Recipients[i]);
        }
        w.Int32(message.Content.Length);
        message.Content.CopyTo(w.Take(message.Content.Length));
        if (traceParent is not null) w.String(traceParent);
        if (w.Position != payload.Length) throw new InvalidOperationException("MessageStored length mismatch");
    }

    /// <summary>The whole message back, with each recipient's status and the address it supersedes.</summary>
    public static MessageSigned ReadMessageStored(ReadOnlySpan<byte> payload, out RecipientStatus[] recipients, out long supersedes) =>
        ReadMessageStored(payload, out recipients, out supersedes, out _);

    /// <summary>The whole message back, with each recipient's status, the address it supersedes and the traceparent it
    /// was stored with (null for a record from before traceparents were kept).</summary>
    public static MessageSigned ReadMessageStored(ReadOnlySpan<byte> payload, out RecipientStatus[] recipients, out long supersedes,
        out string? traceParent)
    {
        var r = new StoredMessageReader(payload);
        var id = r.MessageId;
        var acceptedAt = new DateTimeOffset(r.AcceptedAtTicks, TimeSpan.Zero);
        supersedes = r.Supersedes;
        var mailFrom = r.String()!;
        var virtualMta = r.String()!;
        var jobId = r.String();
        var headerMessageId = r.String();
        var signatures = new string[r.UInt16()];
        for (int i = 0; i < signatures.Length; i++) signatures[i] = r.String()!;
        var count = r.RecipientCount();
        var addresses = new string[count];
        recipients = new RecipientStatus[count];
        for (int i = 0; i < count; i++)
        {
            recipients[i] = r.Recipient(out var address);
            addresses[i] = Encoding.UTF8.GetString(address);
        }
        var content = r.Body().ToArray();
        traceParent = r.AtEnd ? null : r.String();
        return new MessageSigned
        {
            MessageId = id, AcceptedAt = acceptedAt, MailFrom = mailFrom, VirtualMta = virtualMta, JobId = jobId,
            HeaderMessageId = headerMessageId, Signatures = signatures, Recipients = addresses, Content = content,
        };
    }

    public static void WriteRecipientChanged(Span<byte> payload, long message, ushort index, RecipientStatus status)
    {
        var w = new SpanCursor(payload);
        w.Int64(message);
        w.UInt16(index);
        w.Byte((byte)status.State);
        w.UInt16(status.Attempts);
        w.Int64(status.NextAttemptTicks);
    }

    public static void ReadRecipientChanged(ReadOnlySpan<byte> payload, out long message, out ushort index, out RecipientStatus status)
    {
        if (payload.Length != RecipientChangedLength) throw new InvalidDataException($"RecipientChanged has {payload.Length} bytes, not {RecipientChangedLength}");
        message = BinaryPrimitives.ReadInt64LittleEndian(payload);
        index = BinaryPrimitives.ReadUInt16LittleEndian(payload[8..]);
        status = new RecipientStatus(CheckedState(payload[10]), BinaryPrimitives.ReadUInt16LittleEndian(payload[11..]),
            BinaryPrimitives.ReadInt64LittleEndian(payload[13..]));
    }

    public static void WriteMessageRemoved(Span<byte> payload, long message) => BinaryPrimitives.WriteInt64LittleEndian(payload, message);

    public static long ReadMessageRemoved(ReadOnlySpan<byte> payload) =>
        payload.Length == MessageRemovedLength
            ? BinaryPrimitives.ReadInt64LittleEndian(payload)
            : throw new InvalidDataException($"MessageRemoved has {payload.Length} bytes, not {MessageRemovedLength}");

    internal static RecipientState CheckedState(byte value) =>
        value <= (byte)RecipientState.Failed ? (RecipientState)value : throw new InvalidDataException($"recipient state {value} is unknown");

    /// <summary>Writes little-endian values one after the other.</summary>
    private ref struct SpanCursor(Span<byte> span)
    {
        private readonly Span<byte> _span = span;
        public int Position { get; private set; }

        public Span<byte> Take(int n)
        {
            var s = _span.Slice(Position, n);
            Position += n;
            return s;
        }

        public void Byte(byte v) => _span[Position++] = v;
        public void UInt16(ushort v) => BinaryPrimitives.WriteUInt16LittleEndian(Take(2), v);
        public void Int32(int v) => BinaryPrimitives.WriteInt32LittleEndian(Take(4), v);
        public void Int64(long v) => BinaryPrimitives.WriteInt64LittleEndian(Take(8), v);

        public void String(string? s)
        {
            if (s is null)
            {
                UInt16(NullString);
                return;
            }
            var length = Encoding.UTF8.GetByteCount(s);
            UInt16((ushort)length);
            Encoding.UTF8.GetBytes(s, Take(length));
        }
    }
}

/// <summary>Reads a MessageStored payload in order without allocating: recovery reads only the id, the times and the
/// recipients' statuses and domains of a million messages, and never their bodies. Bad data throws
/// <see cref="InvalidDataException"/> (the CRC passed, so that is a bug or a foreign file, not a torn write).</summary>
public ref struct StoredMessageReader
{
    private readonly ReadOnlySpan<byte> _span;
    private int _position;

    public StoredMessageReader(ReadOnlySpan<byte> payload)
    {
        _span = payload;
        if (payload.Length < 32) throw new InvalidDataException($"MessageStored has only {payload.Length} bytes");
        MessageId = new Guid(payload[..16]);
        AcceptedAtTicks = BinaryPrimitives.ReadInt64LittleEndian(payload[16..]);
        Supersedes = BinaryPrimitives.ReadInt64LittleEndian(payload[24..]);
        _position = 32;
    }

    public Guid MessageId { get; }
    public long AcceptedAtTicks { get; }
    public long Supersedes { get; }

    private ReadOnlySpan<byte> Take(int n)
    {
        if (n < 0 || _position + n > _span.Length) throw new InvalidDataException("MessageStored ends inside a field");
        var s = _span.Slice(_position, n);
        _position += n;
        return s;
    }

    public ushort UInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

    public string? String()
    {
        var length = UInt16();
        return length == 0xFFFF ? null : Encoding.UTF8.GetString(Take(length));
    }

    /// <summary>Skips the four envelope strings and the signatures; returns the recipient count.</summary>
    public int SkipToRecipients()
    {
        for (int i = 0; i < 4; i++) SkipString();
        int signatures = UInt16();
        for (int i = 0; i < signatures; i++) SkipString();
        return RecipientCount();
    }

    /// <summary>As <see cref="SkipToRecipients()"/>, keeping the job id's UTF-8 bytes (empty when the message has none).</summary>
    public int SkipToRecipients(out ReadOnlySpan<byte> jobId)
    {
        SkipString();
        SkipString();
        var length = UInt16();
        jobId = length == 0xFFFF ? default : Take(length);
        SkipString();
        int signatures = UInt16();
        for (int i = 0; i < signatures; i++) SkipString();
        return RecipientCount();
    }

    public int RecipientCount() => UInt16();

    public RecipientStatus Recipient(out ReadOnlySpan<byte> address)
    {
        var state = SpoolRecordCodec.CheckedState(Take(1)[0]);
        var attempts = UInt16();
        var next = BinaryPrimitives.ReadInt64LittleEndian(Take(8));
        var length = UInt16();
        address = Take(length == 0xFFFF ? 0 : length);
        return new RecipientStatus(state, attempts, next);
    }

    public ReadOnlySpan<byte> Body() => Take(BinaryPrimitives.ReadInt32LittleEndian(Take(4)));

    /// <summary>True when every field has been read: an older record ends after the body, a newer one has more.</summary>
    public readonly bool AtEnd => _position == _span.Length;

    private void SkipString()
    {
        var length = UInt16();
        if (length != 0xFFFF) Take(length);
    }
}
