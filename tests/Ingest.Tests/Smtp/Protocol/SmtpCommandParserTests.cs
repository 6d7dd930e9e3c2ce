using System.Text;
using Pipeline.Ingest.Smtp.Protocol;

namespace Pipeline.Ingest.Tests.Smtp.Protocol;

public sealed class SmtpCommandParserTests
{
    private static SmtpCommand Parse(string line) => SmtpCommandParser.Parse(Encoding.UTF8.GetBytes(line));

    [Theory]
    [InlineData("EHLO client.example.com", SmtpVerb.Ehlo, "client.example.com")]
    [InlineData("helo x", SmtpVerb.Helo, "x")]
    [InlineData("MAIL FROM:<a@b.example>", SmtpVerb.Mail, "FROM:<a@b.example>")]
    [InlineData("rcpt to:<a@b.example>  ", SmtpVerb.Rcpt, "to:<a@b.example>")]
    [InlineData("DATA", SmtpVerb.Data, "")]
    [InlineData("BDAT 100 LAST", SmtpVerb.Bdat, "100 LAST")]
    [InlineData("StartTLS", SmtpVerb.StartTls, "")]
    [InlineData("AUTH PLAIN AGEAYg==", SmtpVerb.Auth, "PLAIN AGEAYg==")]
    [InlineData("QUIT", SmtpVerb.Quit, "")]
    [InlineData("XYZZY now", SmtpVerb.Unknown, "now")]
    [InlineData("", SmtpVerb.Unknown, "")]
    public void Parse_finds_the_verb_and_argument(string line, SmtpVerb verb, string argument)
    {
        var command = Parse(line);

        Assert.Equal(verb, command.Verb);
        Assert.Equal(argument, command.Argument);
        Assert.False(command.Invalid);
    }

    [Fact]
    public void Parse_marks_a_line_that_is_not_utf8_invalid()
    {
        var command = SmtpCommandParser.Parse([.. "RCPT TO:<"u8, 0xff, 0xfe, .. ">"u8]);

        Assert.True(command.Invalid);
        Assert.Equal(SmtpVerb.Rcpt, command.Verb);
    }

    [Fact]
    public void TryParsePath_reads_the_address_and_parameters()
    {
        Assert.True(SmtpCommandParser.TryParsePath("FROM:<a@b.example> SIZE=1000 BODY=8BITMIME SMTPUTF8", "FROM:", out var path));

        Assert.Equal("a@b.example", path.Address);
        Assert.Equal("1000", path.Parameters["size"]);
        Assert.Equal("8BITMIME", path.Parameters["BODY"]);
        Assert.True(path.Parameters.ContainsKey("SMTPUTF8"));
        Assert.Null(path.Parameters["SMTPUTF8"]);
    }

    [Theory]
    [InlineData("FROM:<>", "")]
    [InlineData("from: <a@b.example>", "a@b.example")]
    [InlineData("FROM:<@relay.example,@other.example:a@b.example>", "a@b.example")]
    public void TryParsePath_accepts_the_null_path_a_space_and_drops_a_source_route(string argument, string address)
    {
        Assert.True(SmtpCommandParser.TryParsePath(argument, "FROM:", out var path));
        Assert.Equal(address, path.Address);
        Assert.Empty(path.Parameters);
    }

    [Theory]
    [InlineData("FROM:a@b.example")]
    [InlineData("FROM:<a@b.example")]
    [InlineData("TO:<a@b.example>")]
    [InlineData("FROM:<a@b.example>SIZE=1")]
    [InlineData("FROM:<a@b.example> =1")]
    [InlineData("")]
    public void TryParsePath_refuses_malformed_arguments(string argument)
    {
        Assert.False(SmtpCommandParser.TryParsePath(argument, "FROM:", out _));
    }
}
