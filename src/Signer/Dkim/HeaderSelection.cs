using System.Text;

namespace Pipeline.Signer.Dkim;

/// <summary>The header fields of one message that its signatures cover, in hashing order, and the matching h= value.
/// Several instances of a name are taken from the bottom up (RFC 6376 5.4.2); an over-signed name adds one more
/// entry that matches no field and hashes as nothing.</summary>
internal sealed class HeaderSelection
{
    private static readonly (byte[] Bytes, string Name, bool OverSigned)[] Names =
        [.. SignedHeaders.Names.Select(n => (Encoding.ASCII.GetBytes(n.Name), n.Name, n.OverSigned))];

    private HeaderSelection(List<int> fieldOrder, string tagValue)
    {
        FieldOrder = fieldOrder;
        TagValue = tagValue;
    }

    /// <summary>Indexes into the message's fields in the order they are hashed.</summary>
    public List<int> FieldOrder { get; }

    /// <summary>The h= value: names separated by ':'.</summary>
    public string TagValue { get; }

    public static HeaderSelection Of(ReadOnlySpan<byte> message, List<RawHeaderField> fields)
    {
        var order = new List<int>(fields.Count + 8);
        var tag = new StringBuilder(256);
        Span<int> matches = stackalloc int[64];
        foreach (var (nameBytes, name, overSigned) in Names)
        {
            int count = 0;
            var overflow = (List<int>?)null;
            for (int i = fields.Count - 1; i >= 0; i--)
            {
                if (!Ascii.EqualsIgnoreCase(fields[i].Name(message), nameBytes)) continue;
                if (count < matches.Length) matches[count] = i;
                else (overflow ??= []).Add(i);
                count++;
            }
            for (int j = 0; j < count; j++) order.Add(j < matches.Length ? matches[j] : overflow![j - matches.Length]);
            int entries = count + (overSigned ? 1 : 0);
            for (int j = 0; j < entries; j++)
            {
                if (tag.Length > 0) tag.Append(':');
                tag.Append(name);
            }
        }
        return new HeaderSelection(order, tag.ToString());
    }
}
