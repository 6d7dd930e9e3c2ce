using System.Text;

namespace Pipeline.Signer.Dkim;

/// <summary>Writes a DKIM-Signature field folded to 78-character lines (RFC 5322 2.1.1). The field is built up to
/// and including "b=" first: that text is what the signature covers (RFC 6376 3.7); the base64 signature is then
/// appended, folded, and the field ends with CRLF.</summary>
internal sealed class DkimSignatureField
{
    private const int LineLimit = 78;
    private const string Fold = "\r\n\t";
    private readonly StringBuilder _text = new("DKIM-Signature: ", 1024);
    private int _lineLength = "DKIM-Signature: ".Length;

    public const int NameLength = 14; // "DKIM-Signature"

    /// <summary>Appends "name=value;" with a blank before it, folding first when it would overflow the line.</summary>
    public DkimSignatureField Tag(string name, string value)
    {
        int length = name.Length + 1 + value.Length + 1;
        if (_lineLength > NameLength + 2)
        {
            if (_lineLength + 1 + length > LineLimit) NewLine();
            else { _text.Append(' '); _lineLength++; }
        }
        _text.Append(name).Append('=').Append(value).Append(';');
        _lineLength += length;
        return this;
    }

    /// <summary>Appends h=: the list is folded after a colon when a line fills.</summary>
    public DkimSignatureField HeaderList(string names)
    {
        if (_lineLength + 3 > LineLimit) NewLine();
        else { _text.Append(' '); _lineLength++; }
        _text.Append("h=");
        _lineLength += 2;
        var parts = names.Split(':');
        for (int i = 0; i < parts.Length; i++)
        {
            var piece = parts[i] + (i < parts.Length - 1 ? ":" : ";");
            if (_lineLength + piece.Length > LineLimit) NewLine();
            _text.Append(piece);
            _lineLength += piece.Length;
        }
        return this;
    }

    /// <summary>Appends the empty b= tag that ends the signed text; returns that text.</summary>
    public string Unsigned()
    {
        if (_lineLength + 3 > LineLimit) NewLine();
        else { _text.Append(' '); _lineLength++; }
        _text.Append("b=");
        _lineLength += 2;
        return _text.ToString();
    }

    /// <summary>The whole field, with the signature value folded after "b=", ending in CRLF.</summary>
    public byte[] Complete(ReadOnlySpan<byte> signature)
    {
        var value = Convert.ToBase64String(signature);
        int pos = 0;
        while (pos < value.Length)
        {
            int room = LineLimit - _lineLength;
            if (room <= 0) { NewLine(); continue; }
            int take = Math.Min(room, value.Length - pos);
            _text.Append(value, pos, take);
            _lineLength += take;
            pos += take;
        }
        _text.Append("\r\n");
        return Encoding.ASCII.GetBytes(_text.ToString());
    }

    private void NewLine()
    {
        _text.Append(Fold);
        _lineLength = 1;
    }
}
