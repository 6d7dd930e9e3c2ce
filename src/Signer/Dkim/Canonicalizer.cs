using System.Buffers;

namespace Pipeline.Signer.Dkim;

/// <summary>RFC 6376 3.4 canonicalization of header fields and of the body, over the raw bytes. Only SP and HTAB
/// are whitespace (WSP); 8-bit bytes pass untouched. A bare LF counts as a line end and becomes CRLF, as it does on
/// the wire.</summary>
internal static class Canonicalizer
{
    private static readonly SearchValues<byte> Wsp = SearchValues.Create(" \t"u8);
    private static readonly SearchValues<byte> WspOrLineEnd = SearchValues.Create(" \t\r\n"u8);

    /// <summary>Writes one header field in canonical form, ending in CRLF unless <paramref name="withoutLineEnd"/>
    /// (the DKIM-Signature field being signed is hashed without its line end, RFC 6376 3.7).</summary>
    public static void Header(HashSink sink, ReadOnlySpan<byte> field, int nameLength, int colon,
        CanonicalizationAlgorithm algorithm, bool withoutLineEnd = false)
    {
        if (algorithm == CanonicalizationAlgorithm.Simple)
        {
            // The field as it is, its line ends made CRLF.
            var rest = TrimLineEnd(field);
            while (!rest.IsEmpty)
            {
                int lf = rest.IndexOf((byte)'\n');
                if (lf < 0) { sink.Write(rest); break; }
                var line = lf > 0 && rest[lf - 1] == '\r' ? rest[..(lf - 1)] : rest[..lf];
                sink.Write(line);
                sink.WriteCrlf();
                rest = rest[(lf + 1)..];
            }
            if (!withoutLineEnd) sink.WriteCrlf();
            return;
        }

        // Relaxed: lower-case name, no blanks around the colon, unfolded value with each run of WSP as one SP and
        // none at its ends.
        Span<byte> name = stackalloc byte[Math.Min(nameLength, 256)];
        if (nameLength <= name.Length)
        {
            System.Text.Ascii.ToLower(field[..nameLength], name, out _);
            sink.Write(name);
        }
        else
        {
            var lower = new byte[nameLength];
            System.Text.Ascii.ToLower(field[..nameLength], lower, out _);
            sink.Write(lower);
        }
        sink.Write((byte)':');
        var value = field[(colon + 1)..];
        bool pendingSpace = false, any = false;
        while (!value.IsEmpty)
        {
            int special = value.IndexOfAny(WspOrLineEnd);
            var run = special < 0 ? value : value[..special];
            if (!run.IsEmpty)
            {
                if (pendingSpace && any) sink.Write((byte)' ');
                pendingSpace = false;
                sink.Write(run);
                any = true;
            }
            if (special < 0) break;
            // A CR or LF is unfolding (removed); blanks collapse.
            if (value[special] is (byte)' ' or (byte)'\t') pendingSpace = true;
            value = value[(special + 1)..];
        }
        if (!withoutLineEnd) sink.WriteCrlf();
    }

    /// <summary>Writes the canonical body.</summary>
    public static void Body(HashSink sink, ReadOnlySpan<byte> body, CanonicalizationAlgorithm algorithm)
    {
        if (IsAlreadyCanonical(body, algorithm, out var canonical))
        {
            // The common case: the body is its own canonical form but for trailing empty lines and a last line end,
            // so it is hashed in one piece, at the speed of SHA-256.
            sink.Write(canonical);
            if (!canonical.IsEmpty && !canonical.EndsWith("\r\n"u8)) sink.WriteCrlf();
            else if (canonical.IsEmpty && algorithm == CanonicalizationAlgorithm.Simple) sink.WriteCrlf();
            return;
        }
        // Empty lines are held back until a non-empty line follows: trailing empty lines are not part of the
        // canonical body (RFC 6376 3.4.3, 3.4.4).
        int pendingEmpty = 0;
        bool wroteAny = false;
        bool relaxed = algorithm == CanonicalizationAlgorithm.Relaxed;
        while (!body.IsEmpty)
        {
            int lf = body.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line;
            if (lf < 0) { line = body; body = default; }
            else
            {
                line = lf > 0 && body[lf - 1] == '\r' ? body[..(lf - 1)] : body[..lf];
                body = body[(lf + 1)..];
            }
            if (relaxed) line = line.TrimEnd(" \t"u8);
            if (line.IsEmpty)
            {
                pendingEmpty++;
                continue;
            }
            for (; pendingEmpty > 0; pendingEmpty--) sink.WriteCrlf();
            // Most lines have single blanks only, so they are their own canonical form.
            if (relaxed && (line.Contains((byte)'\t') || line.IndexOf("  "u8) >= 0)) RelaxedLine(sink, line);
            else sink.Write(line);
            sink.WriteCrlf();
            wroteAny = true;
        }
        // RFC 6376 3.4.3: an empty body is a single CRLF in simple; 3.4.4: nothing at all in relaxed.
        if (!wroteAny && !relaxed) sink.WriteCrlf();
    }

    /// <summary>True when canonicalization would change nothing in <paramref name="body"/> but drop its trailing
    /// empty lines (returned in <paramref name="canonical"/> without them) and add a missing last CRLF: every line
    /// ends in CRLF, and, for relaxed, no tab, no run of blanks and no blank at a line's end.</summary>
    private static bool IsAlreadyCanonical(ReadOnlySpan<byte> body, CanonicalizationAlgorithm algorithm, out ReadOnlySpan<byte> canonical)
    {
        canonical = default;
        // Every LF must be the end of a CRLF (a bare LF becomes CRLF in the canonical form).
        if (body.Count((byte)'\n') != body.Count("\r\n"u8)) return false;
        if (algorithm == CanonicalizationAlgorithm.Relaxed
            && (body.Contains((byte)'\t') || body.IndexOf("  "u8) >= 0 || body.IndexOf(" \r\n"u8) >= 0 || body.EndsWith(" "u8)))
            return false;
        // A CR directly before the trailing CRLFs would be a line of its own ending in a bare CR: not the common case.
        int end = body.Length;
        while (end >= 2 && body[end - 2] == '\r' && body[end - 1] == '\n') end -= 2;
        if (end > 0 && body[end - 1] == '\r') return false;
        canonical = end == 0 ? default : body[..(end < body.Length ? end + 2 : end)];
        return true;
    }

    /// <summary>A line without trailing WSP, each inner run of WSP written as one SP.</summary>
    private static void RelaxedLine(HashSink sink, ReadOnlySpan<byte> line)
    {
        while (true)
        {
            int w = line.IndexOfAny(Wsp);
            if (w < 0) { sink.Write(line); return; }
            sink.Write(line[..w]);
            var rest = line[w..];
            int end = rest.IndexOfAnyExcept(Wsp);
            // The line was trimmed, so blanks are always followed by something.
            sink.Write((byte)' ');
            line = rest[end..];
        }
    }

    private static ReadOnlySpan<byte> TrimLineEnd(ReadOnlySpan<byte> field)
    {
        if (field.EndsWith("\r\n"u8)) return field[..^2];
        if (field.EndsWith("\n"u8)) return field[..^1];
        return field;
    }
}
