using Pipeline.Contracts;
using Pipeline.Dispatcher.Delivery;

namespace Pipeline.Dispatcher.Tests.Delivery;

public sealed class SmtpReplyTextTests
{
    [Theory]
    [InlineData(550, "5.1.1 user unknown", "5.1.1")]
    [InlineData(451, "4.7.1 greylisted, try again", "4.7.1")]
    [InlineData(250, "2.0.0 Ok: queued as ABC", "2.0.0")]
    [InlineData(552, "  5.3.4 message too big", "5.3.4")]
    [InlineData(550, "5.7.26 unauthenticated mail is prohibited", "5.7.26")]
    [InlineData(554, "5.7.1", "5.7.1")]
    [InlineData(550, "5.7.1 first line of a multi-line reply\n5.7.1 second line", "5.7.1")]
    public void The_enhanced_status_at_the_start_of_the_text_is_used(int code, string text, string expected)
    {
        Assert.Equal(expected, SmtpReplyText.EnhancedStatus(code, text));
    }

    [Theory]
    [InlineData(550, "4.1.1 user unknown", "5.0.0")]
    [InlineData(451, "5.7.1 not now", "4.0.0")]
    [InlineData(250, "5.0.0 odd but ok", "2.0.0")]
    public void An_enhanced_status_of_another_class_than_the_code_is_ignored(int code, string text, string expected)
    {
        Assert.Equal(expected, SmtpReplyText.EnhancedStatus(code, text));
    }

    [Theory]
    [InlineData(250, "Ok", "2.0.0")]
    [InlineData(421, "Service not available", "4.0.0")]
    [InlineData(550, "Mailbox unavailable", "5.0.0")]
    [InlineData(550, "", "5.0.0")]
    [InlineData(550, "user 5.1.1 unknown", "5.0.0")]
    [InlineData(550, "5.1.1user unknown", "5.0.0")]
    [InlineData(550, "5.1 user unknown", "5.0.0")]
    [InlineData(0, "connection refused", "4.0.0")]
    public void Without_an_enhanced_status_at_the_start_the_class_default_is_used(int code, string text, string expected)
    {
        Assert.Equal(expected, SmtpReplyText.EnhancedStatus(code, text));
    }

    [Theory]
    [InlineData(250, DeliveryOutcome.Delivered)]
    [InlineData(251, DeliveryOutcome.Delivered)]
    [InlineData(421, DeliveryOutcome.Deferred)]
    [InlineData(451, DeliveryOutcome.Deferred)]
    [InlineData(452, DeliveryOutcome.Deferred)]
    [InlineData(550, DeliveryOutcome.Failed)]
    [InlineData(554, DeliveryOutcome.Failed)]
    [InlineData(0, DeliveryOutcome.Deferred)]
    [InlineData(354, DeliveryOutcome.Deferred)]
    public void OutcomeOf_maps_the_reply_class(int code, DeliveryOutcome expected)
    {
        Assert.Equal(expected, SmtpReplyText.OutcomeOf(code));
    }
}
