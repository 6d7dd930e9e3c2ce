using System.Text;
using Pipeline.Ingest.Smtp.Protocol;

namespace Pipeline.Ingest.Tests.Smtp.Protocol;

/// <summary>Each case is fed whole, a line at a time and a byte at a time: the result must not depend on how the
/// network cut the stream.</summary>
public sealed class DotStuffedDecoderTests
{
    public static TheoryData<string, string, string> Cases => new()
    {
        // wire (dot-stuffed, with the end line), content, what follows the end line
        { "Subject: s\r\n\r\nbody\r\n.\r\n", "Subject: s\r\n\r\nbody\r\n", "" },
        { "a\r\n..leading dot\r\n...two\r\n.\r\nQUIT\r\n", "a\r\n.leading dot\r\n..two\r\n", "QUIT\r\n" },
        { ".\r\n", "", "" },
        { "no dot at start .\r\n.\r\n", "no dot at start .\r\n", "" },
        // Bare LF and bare CR are content, never a line end: "\n.\n" and "\r.\r" do not end the data.
        { "a\n.\nb\r\n.\r\n", "a\n.\nb\r\n", "" },
        { "a\r.\rb\r\n.\r\n", "a\r.\rb\r\n", "" },
        { "x\r\n.\rstill data\r\n.\r\n", "x\r\n\rstill data\r\n", "" },
        { "x\r\r\n.\r\n", "x\r\r\n", "" },
        { "x\r\n. \r\n.\r\n", "x\r\n \r\n", "" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Whole(string wire, string content, string rest) => Check(wire, content, rest, wire.Length);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Byte_by_byte(string wire, string content, string rest) => Check(wire, content, rest, 1);

    [Theory]
    [MemberData(nameof(Cases))]
    public void In_chunks_of_three(string wire, string content, string rest) => Check(wire, content, rest, 3);

    private static void Check(string wire, string content, string rest, int chunk)
    {
        var bytes = Encoding.UTF8.GetBytes(wire);
        var buffer = new MessageBuffer(1_000_000);
        var decoder = new DotStuffedDecoder(buffer);
        int position = 0;
        bool done = false;
        while (!done && position < bytes.Length)
        {
            var piece = bytes.AsSpan(position, Math.Min(chunk, bytes.Length - position));
            done = decoder.Decode(piece, out int consumed);
            Assert.True(done || consumed == piece.Length);
            position += consumed;
        }
        Assert.True(done);
        Assert.Equal(content, Encoding.UTF8.GetString(buffer.Content.Span));
        Assert.Equal(rest, Encoding.UTF8.GetString(bytes.AsSpan(position)));
    }

    [Fact]
    public void Without_the_end_line_it_asks_for_more()
    {
        var buffer = new MessageBuffer(100);
        var decoder = new DotStuffedDecoder(buffer);

        Assert.False(decoder.Decode("a\r\n.\r"u8, out int consumed));
        Assert.Equal(5, consumed);
        Assert.True(decoder.Decode("\n"u8, out _));
        Assert.Equal("a\r\n", Encoding.UTF8.GetString(buffer.Content.Span));
    }

    [Fact]
    public void Over_the_limit_it_keeps_counting_but_stops_storing()
    {
        var buffer = new MessageBuffer(10);
        var decoder = new DotStuffedDecoder(buffer);

        Assert.True(decoder.Decode("0123456789abcdef\r\n.\r\n"u8, out _));

        Assert.True(buffer.Overflowed);
        Assert.Equal(18, buffer.Received);
        Assert.Equal(0, buffer.Content.Length);
    }
}
