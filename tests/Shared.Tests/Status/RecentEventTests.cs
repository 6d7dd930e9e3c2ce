using Pipeline.Shared.Status;

namespace Pipeline.Shared.Tests.Status;

public class RecentEventTests
{
    [Theory]
    [InlineData("550 5.1.1 <jane.doe@Example.com>: Recipient address rejected: User unknown", "550 5.1.1 <j***@example.com>: Recipient address rejected: User unknown")]
    [InlineData("550 5.7.1 bob@a.example and carol@b.example refused", "550 5.7.1 b***@a.example and c***@b.example refused")]
    [InlineData("451 4.7.1 Greylisted, please try again later", "451 4.7.1 Greylisted, please try again later")]
    [InlineData(null, null)]
    public void Addresses_in_replies_are_masked_like_the_recipient(string? reply, string? expected) =>
        Assert.Equal(expected, RecentEvent.MaskAddresses(reply));
}
