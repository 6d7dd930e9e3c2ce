using Pipeline.Shared.Verp;

namespace Pipeline.Shared.Tests.Verp;

public sealed class VerpAddressTests
{
    private static readonly Guid MessageId = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

    [Fact]
    public void An_encoded_address_decodes_to_its_message_and_recipient_tag()
    {
        var address = VerpAddress.Encode(MessageId, "User@Example.NET", "Bounces.Example.com");

        Assert.Matches("^bounces\\+0f8fad5bd9cb469fa16570867728950e\\.[0-9a-f]{8}@bounces\\.example\\.com$", address);
        Assert.True(VerpAddress.TryDecode(address, "bounces.example.com", out var id, out var tag));
        Assert.Equal(MessageId, id);
        // The tag ignores the case of the address, as mailbox providers do.
        Assert.Equal(VerpAddress.RecipientTag("user@example.net"), tag);
        Assert.NotEqual(VerpAddress.RecipientTag("other@example.net"), tag);
    }

    [Theory]
    [InlineData("bounces+0f8fad5bd9cb469fa16570867728950e.1a2b3c4d@other.example.com")]
    [InlineData("postmaster@bounces.example.com")]
    [InlineData("bounces+0f8fad5bd9cb469fa16570867728950e@bounces.example.com")]
    [InlineData("bounces+0f8fad5bd9cb469fa16570867728950e.zz2b3c4d@bounces.example.com")]
    [InlineData("bounces+not-a-guid-at-all-not-a-guid-at-all.1a2b3c4d@bounces.example.com")]
    [InlineData("no-at-sign")]
    public void Other_addresses_are_not_decoded(string address) =>
        Assert.False(VerpAddress.TryDecode(address, "bounces.example.com", out _, out _));

    [Fact]
    public void Any_address_at_the_return_path_domain_is_a_return_path()
    {
        Assert.True(VerpAddress.IsReturnPath("anything@bounces.example.com", "bounces.example.com"));
        Assert.False(VerpAddress.IsReturnPath("anything@example.com", "bounces.example.com"));
        Assert.False(VerpAddress.IsReturnPath("anything@example.com", null));
    }
}
