using System.Text;
using Pipeline.BounceProcessor.Accounting;

namespace Pipeline.BounceProcessor.Tests.Accounting;

public sealed class CsvFieldTests
{
    private static string Field(string? value)
    {
        var line = new StringBuilder();
        CsvField.Append(line, value);
        return line.ToString();
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("with space", "with space")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("\"", "\"\"\"\"")]
    [InlineData("smtp;550 5.1.1 \"user\", unknown", "\"smtp;550 5.1.1 \"\"user\"\", unknown\"")]
    public void Commas_and_quotes_are_quoted_with_quotes_doubled(string value, string expected)
    {
        Assert.Equal(expected, Field(value));
    }

    [Theory]
    [InlineData("line one\r\nline two", "line one line two")]
    [InlineData("a\nb\rc", "a b c")]
    [InlineData("550-first\r\n550 second, last", "\"550-first 550 second, last\"")]
    public void Line_breaks_are_folded_to_spaces(string value, string expected)
    {
        Assert.Equal(expected, Field(value));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Null_and_empty_are_an_empty_field(string? value)
    {
        Assert.Equal("", Field(value));
    }

    [Fact]
    public void A_line_joins_fields_with_commas_and_ends_with_a_line_feed()
    {
        Assert.Equal("a,,\"b,c\",,d\n", CsvField.Line(["a", null, "b,c", "", "d"]));
    }

    [Fact]
    public void A_multi_line_value_still_makes_one_line()
    {
        var line = CsvField.Line(["t", "451-4.7.1 first\r\n451 4.7.1 second", "x"]);

        Assert.Equal("t,451-4.7.1 first 451 4.7.1 second,x\n", line);
        Assert.Single(line, '\n');
    }
}
