namespace Pipeline.Signer.Dkim;

/// <summary>A header field of a raw message as offsets into its bytes: the field starts at <see cref="Start"/>,
/// its name is the first <see cref="NameLength"/> bytes, and it is <see cref="Length"/> bytes long including its
/// continuation lines and its final line end (absent when the message ends inside the header).</summary>
public readonly record struct RawHeaderField(int Start, int NameLength, int ColonOffset, int Length)
{
    public ReadOnlySpan<byte> Name(ReadOnlySpan<byte> message) => message.Slice(Start, NameLength);

    /// <summary>The whole field, name to line end.</summary>
    public ReadOnlySpan<byte> Field(ReadOnlySpan<byte> message) => message.Slice(Start, Length);

    /// <summary>What follows the colon, continuation lines and final line end included.</summary>
    public ReadOnlySpan<byte> RawValue(ReadOnlySpan<byte> message) => message.Slice(Start + ColonOffset + 1, Length - ColonOffset - 1);
}
