using System.Text;

namespace Pipeline.Signer.Dkim;

/// <summary>Splits a raw RFC 5322 message into its header fields and its body without copying or decoding a byte.
/// Lines end in CRLF; a bare LF is taken as a line end too (it travels as CRLF). A header section that is not a
/// sequence of fields is a <see cref="DkimFailure.BadMessage"/>: a verifier would not see the same fields.</summary>
public static class RawMessage
{
    /// <summary>Fills <paramref name="fields"/> and returns the offset of the body (the message's length when the
    /// header section is not followed by a blank line).</summary>
    public static int Parse(ReadOnlySpan<byte> message, List<RawHeaderField> fields)
    {
        fields.Clear();
        if (message.IsEmpty) throw new DkimSigningException(DkimFailure.BadMessage, "the message is empty");
        int pos = 0;
        int fieldStart = -1;
        int nameLength = 0, colon = 0;
        while (pos < message.Length)
        {
            int lf = message[pos..].IndexOf((byte)'\n');
            int next = lf < 0 ? message.Length : pos + lf + 1;
            var line = message[pos..next];
            bool blank = line is [(byte)'\n'] or [(byte)'\r', (byte)'\n'];
            if (blank)
            {
                if (fieldStart >= 0) fields.Add(new RawHeaderField(fieldStart, nameLength, colon, pos - fieldStart));
                if (fields.Count == 0) throw new DkimSigningException(DkimFailure.BadMessage, "the message has no header fields");
                return next;
            }
            if (line[0] is (byte)' ' or (byte)'\t')
            {
                if (fieldStart < 0)
                    throw new DkimSigningException(DkimFailure.BadMessage, "the header section starts with a continuation line");
            }
            else
            {
                if (fieldStart >= 0) fields.Add(new RawHeaderField(fieldStart, nameLength, colon, pos - fieldStart));
                fieldStart = pos;
                colon = line.IndexOf((byte)':');
                if (colon < 0)
                    throw new DkimSigningException(DkimFailure.BadMessage,
                        $"header line {fields.Count + 1} has no colon: '{Excerpt(line)}'");
                nameLength = colon;
                while (nameLength > 0 && line[nameLength - 1] is (byte)' ' or (byte)'\t') nameLength--;
                // RFC 5322 4.5.8's obsolete blank before the colon: dkimpy and opendkim both refuse such a header
                // section, so a signature over it would fail at the receiver.
                if (nameLength > 0 && nameLength < colon)
                    throw new DkimSigningException(DkimFailure.BadMessage,
                        $"header line {fields.Count + 1} has a blank before its colon (obsolete syntax verifiers refuse): '{Excerpt(line)}'");
                // RFC 5322 2.2: a field name is printable US-ASCII except the colon.
                if (nameLength == 0 || line[..nameLength].IndexOfAnyExceptInRange((byte)33, (byte)126) >= 0)
                    throw new DkimSigningException(DkimFailure.BadMessage,
                        $"header line {fields.Count + 1} has no valid field name: '{Excerpt(line)}'");
            }
            pos = next;
        }
        if (fieldStart >= 0) fields.Add(new RawHeaderField(fieldStart, nameLength, colon, message.Length - fieldStart));
        return message.Length;
    }

    private static string Excerpt(ReadOnlySpan<byte> line)
    {
        var text = Encoding.UTF8.GetString(line[..Math.Min(line.Length, 60)]).TrimEnd('\r', '\n');
        return string.Concat(text.Select(c => char.IsControl(c) ? '?' : c));
    }
}
