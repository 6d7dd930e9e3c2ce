using Pipeline.Ingest.Smtp.Protocol;

namespace Pipeline.Ingest.Tests.Smtp.Protocol;

public sealed class MailboxSyntaxTests
{
    [Theory]
    [InlineData("user@example.com")]
    [InlineData("first.last+tag@sub.example.co.uk")]
    [InlineData("!#$%&'*+-/=?^_`{|}~@example.com")]
    [InlineData("\"quoted local\"@example.com")]
    [InlineData("\"with \\\" quote\"@example.com")]
    [InlineData("user@[192.0.2.1]")]
    [InlineData("user@[IPv6:2001:db8::1]")]
    [InlineData("user@localhost")]
    public void Valid_ascii_mailboxes_pass(string address)
    {
        Assert.True(MailboxSyntax.IsValid(address, utf8: false));
    }

    [Theory]
    [InlineData("")]
    [InlineData("user")]
    [InlineData("@example.com")]
    [InlineData("user@")]
    [InlineData("us er@example.com")]
    [InlineData(".user@example.com")]
    [InlineData("user.@example.com")]
    [InlineData("us..er@example.com")]
    [InlineData("user@exa_mple.com")]
    [InlineData("user@-example.com")]
    [InlineData("user@example..com")]
    [InlineData("user@[300.1.1.1]")]
    [InlineData("user@[1.2.3]")]
    [InlineData("user@example.com>")]
    [InlineData("a\"b@example.com")]
    [InlineData("user(comment)@example.com")]
    public void Malformed_mailboxes_fail(string address)
    {
        Assert.False(MailboxSyntax.IsValid(address, utf8: false));
    }

    [Fact]
    public void Length_limits_of_rfc_5321_are_enforced()
    {
        Assert.True(MailboxSyntax.IsValid(new string('a', 64) + "@example.com", utf8: false));
        Assert.False(MailboxSyntax.IsValid(new string('a', 65) + "@example.com", utf8: false));
        Assert.False(MailboxSyntax.IsValid("a@" + new string('b', 64) + ".com", utf8: false));
        Assert.False(MailboxSyntax.IsValid("a@" + string.Join(".", Enumerable.Repeat(new string('b', 60), 5)), utf8: false));
    }

    [Theory]
    [InlineData("jörg@example.com")]
    [InlineData("用户@例子.广告")]
    public void Utf8_mailboxes_need_smtputf8(string address)
    {
        Assert.True(MailboxSyntax.IsNonAscii(address));
        Assert.False(MailboxSyntax.IsValid(address, utf8: false));
        Assert.True(MailboxSyntax.IsValid(address, utf8: true));
    }

    [Fact]
    public void DomainOf_is_the_lower_cased_part_after_the_last_at()
    {
        Assert.Equal("example.com", MailboxSyntax.DomainOf("\"a@b\"@Example.COM"));
        Assert.Equal("", MailboxSyntax.DomainOf(""));
    }
}
