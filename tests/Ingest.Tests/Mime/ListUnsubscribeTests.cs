using Pipeline.Ingest.Mime;
using Pipeline.Shared.Configuration;

namespace Pipeline.Ingest.Tests.Mime;

public sealed class ListUnsubscribeTests
{
    private static ListUnsubscribe With(string? mailto, string? url, bool oneClick = true) =>
        new(new PipelineOptions { Ingest = { ListUnsubscribe = { Mailto = mailto, Url = url, OneClick = oneClick } } });

    [Fact]
    public void Both_targets_with_the_recipient_escaped_and_one_click()
    {
        var unsubscribe = With("mailto:unsub@example.com?subject={recipient}", "https://example.com/u?r={recipient}");

        Assert.True(unsubscribe.Enabled);
        Assert.True(unsubscribe.PerRecipient);
        Assert.Equal(
            "List-Unsubscribe: <mailto:unsub@example.com?subject=a%2Bb%40example.net>,\r\n <https://example.com/u?r=a%2Bb%40example.net>\r\n" +
            "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n",
            unsubscribe.Headers("a+b@example.net"));
    }

    [Fact]
    public void Mailto_only_has_no_one_click_header()
    {
        var unsubscribe = With("mailto:unsub@example.com", null);

        Assert.False(unsubscribe.PerRecipient);
        Assert.Equal("List-Unsubscribe: <mailto:unsub@example.com>\r\n", unsubscribe.Headers("a@example.net"));
    }

    [Fact]
    public void Nothing_configured_is_off()
    {
        Assert.False(With(null, null).Enabled);
    }
}
