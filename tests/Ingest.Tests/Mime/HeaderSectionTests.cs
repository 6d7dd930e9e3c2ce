using System.Text;
using Pipeline.Ingest.Mime;

namespace Pipeline.Ingest.Tests.Mime;

public sealed class HeaderSectionTests
{
    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void Length_with_crlf_ends_after_the_blank_line()
    {
        var message = Bytes("From: a@example.com\r\nSubject: hi\r\n\r\nbody\r\n");

        Assert.Equal("From: a@example.com\r\nSubject: hi\r\n\r\n".Length, HeaderSection.Length(message));
    }

    [Fact]
    public void Length_with_bare_lf_ends_after_the_blank_line()
    {
        var message = Bytes("From: a@example.com\nSubject: hi\n\nbody\n");

        Assert.Equal("From: a@example.com\nSubject: hi\n\n".Length, HeaderSection.Length(message));
    }

    [Theory]
    [InlineData("From: a@example.com\r\nSubject: hi\r\n")]
    [InlineData("From: a@example.com\r\nSubject: hi")]
    [InlineData("From: a@example.com\nSubject: hi\n")]
    public void Length_of_a_header_only_message_is_the_whole_message(string text)
    {
        var message = Bytes(text);

        Assert.Equal(message.Length, HeaderSection.Length(message));
    }

    [Fact]
    public void Length_does_not_take_a_blank_line_inside_the_body_for_the_end()
    {
        var message = Bytes("Subject: x\r\n\r\nline\r\n\r\nmore\r\n");

        Assert.Equal("Subject: x\r\n\r\n".Length, HeaderSection.Length(message));
    }

    [Fact]
    public void Get_unfolds_a_folded_header()
    {
        var message = Bytes("Subject: a long\r\n subject\r\n\tthat folds\r\nFrom: a@example.com\r\n\r\nbody\r\n");

        Assert.Equal("a long subject\tthat folds", HeaderSection.Get(message, "Subject"));
        Assert.Equal("a@example.com", HeaderSection.Get(message, "From"));
    }

    [Fact]
    public void Get_unfolds_with_bare_lf()
    {
        var message = Bytes("Subject: one\n two\n\nbody\n");

        Assert.Equal("one two", HeaderSection.Get(message, "Subject"));
    }

    [Theory]
    [InlineData("x-virtual-mta")]
    [InlineData("X-VIRTUAL-MTA")]
    [InlineData("X-Virtual-MTA")]
    public void Get_is_case_insensitive_on_the_name(string name)
    {
        var message = Bytes("x-Virtual-Mta:  mta1 \r\n\r\nbody\r\n");

        Assert.Equal("mta1", HeaderSection.Get(message, name));
    }

    [Fact]
    public void Get_returns_the_first_of_repeated_headers_and_null_when_absent()
    {
        var message = Bytes("Received: first\r\nReceived: second\r\n\r\n");

        Assert.Equal("first", HeaderSection.Get(message, "Received"));
        Assert.Null(HeaderSection.Get(message, "Subject"));
    }

    [Fact]
    public void Get_does_not_read_headers_from_the_body()
    {
        var message = Bytes("Subject: x\r\n\r\nX-Job: from-the-body\r\n");

        Assert.Null(HeaderSection.Get(message, "X-Job"));
    }

    [Fact]
    public void Get_matches_whole_names_only()
    {
        var message = Bytes("X-Jobs: many\r\nX-Job-Id: 7\r\n\r\n");

        Assert.Null(HeaderSection.Get(message, "X-Job"));
    }

    [Fact]
    public void Rewrite_removes_control_headers_and_keeps_every_other_byte()
    {
        const string kept1 = "From: Sender <a@example.com>\r\nTo: b@example.net\r\n";
        const string kept2 = "Subject: folded\r\n subject line\r\n";
        const string body = "\r\nBody line one\r\n.leading dot\r\n\r\n  indented, trailing space \r\n";
        var message = Bytes(kept1 + "X-Virtual-MTA: mta1\r\n" + kept2 + "X-Job: j1\r\n" + body);

        var rewritten = HeaderSection.Rewrite(message, ["X-Virtual-MTA", "X-Job"]);

        Assert.Equal(Bytes(kept1 + kept2 + body), rewritten);
    }

    [Fact]
    public void Rewrite_removes_a_folded_control_header_with_all_its_continuation_lines()
    {
        var message = Bytes("X-Job: campaign\r\n 2024\r\n\tspring\r\nSubject: s\r\n\r\nbody\r\n");

        var rewritten = HeaderSection.Rewrite(message, ["X-Virtual-MTA", "X-Job"]);

        Assert.Equal(Bytes("Subject: s\r\n\r\nbody\r\n"), rewritten);
    }

    [Fact]
    public void Rewrite_removes_every_occurrence_in_any_case()
    {
        var message = Bytes("x-job: a\r\nSubject: s\r\nX-JOB: b\r\nx-virtual-mta: mta1\r\n\r\nX-Job: in body stays\r\n");

        var rewritten = HeaderSection.Rewrite(message, ["X-Virtual-MTA", "X-Job"]);

        Assert.Equal(Bytes("Subject: s\r\n\r\nX-Job: in body stays\r\n"), rewritten);
    }

    [Fact]
    public void Rewrite_of_a_message_without_control_headers_is_an_identical_copy()
    {
        var message = Bytes("From: a@example.com\nSubject: bare lf\n\nbody\n");

        Assert.Equal(message, HeaderSection.Rewrite(message, ["X-Virtual-MTA", "X-Job"]));
    }

    [Fact]
    public void Rewrite_prepends_lines_before_the_first_header()
    {
        var message = Bytes("X-Job: j1\r\nSubject: s\r\n\r\nbody\r\n");

        var rewritten = HeaderSection.Rewrite(message, ["X-Job"], "Message-ID: <id@host>\r\n");

        Assert.Equal(Bytes("Message-ID: <id@host>\r\nSubject: s\r\n\r\nbody\r\n"), rewritten);
    }

    [Fact]
    public void Rewrite_removes_the_last_header_of_a_header_only_message()
    {
        var message = Bytes("Subject: s\r\nX-Virtual-MTA: mta1");

        Assert.Equal(Bytes("Subject: s\r\n"), HeaderSection.Rewrite(message, ["X-Virtual-MTA"]));
    }
}
