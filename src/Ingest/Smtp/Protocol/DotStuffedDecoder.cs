namespace Pipeline.Ingest.Smtp.Protocol;

/// <summary>Reads DATA content incrementally: removes dot-stuffing (RFC 5321 4.5.2) and finds the end-of-data line
/// &lt;CRLF&gt;.&lt;CRLF&gt;. Only CRLF ends a line: a bare LF or CR is content, so "\n.\n" can never end the data
/// (the "SMTP smuggling" trick). Pure: feed it any slicing of the input, byte by byte included.</summary>
public sealed class DotStuffedDecoder(MessageBuffer output)
{
    private enum State
    {
        /// <summary>At the start of a line (the data begins at one).</summary>
        LineStart,
        /// <summary>A dot at the start of a line: dropped; either stuffing or the end line.</summary>
        Dot,
        /// <summary>".\r" at the start of a line.</summary>
        DotCr,
        /// <summary>Inside a line.</summary>
        Text,
        /// <summary>A CR inside a line; a LF after it ends the line.</summary>
        Cr,
    }

    private State _state = State.LineStart;

    /// <summary>Consumes bytes of <paramref name="input"/> up to and including the end-of-data line. Returns true
    /// when it was found; <paramref name="consumed"/> says how many bytes were used (all of them when false).</summary>
    public bool Decode(ReadOnlySpan<byte> input, out int consumed)
    {
        int i = 0;
        while (i < input.Length)
        {
            byte b = input[i];
            switch (_state)
            {
                case State.LineStart:
                    if (b == '.') { _state = State.Dot; i++; }
                    else _state = State.Text;
                    break;
                case State.Dot:
                    if (b == '\r') { _state = State.DotCr; i++; }
                    else _state = State.Text; // a stuffed dot: dropped, the line goes on
                    break;
                case State.DotCr:
                    if (b == '\n')
                    {
                        consumed = i + 1;
                        _state = State.LineStart;
                        return true;
                    }
                    // ".\r" followed by something else: a stuffed line that begins with a CR.
                    output.WriteByte((byte)'\r');
                    _state = State.Cr;
                    break;
                case State.Text:
                {
                    int cr = input[i..].IndexOf((byte)'\r');
                    if (cr < 0)
                    {
                        output.Write(input[i..]);
                        i = input.Length;
                    }
                    else
                    {
                        output.Write(input.Slice(i, cr + 1));
                        i += cr + 1;
                        _state = State.Cr;
                    }
                    break;
                }
                case State.Cr:
                    if (b == '\n')
                    {
                        output.WriteByte(b);
                        i++;
                        _state = State.LineStart;
                    }
                    else _state = State.Text;
                    break;
            }
        }
        consumed = input.Length;
        return false;
    }
}
