using Pipeline.Shared.Configuration;

namespace Pipeline.Shared.Tests.Configuration;

public sealed class MessageRateTests
{
    [Theory]
    [InlineData("10/s", 10, 1)]
    [InlineData("600/m", 600, 60)]
    [InlineData("1000/h", 1000, 3600)]
    [InlineData("20000/d", 20000, 86400)]
    [InlineData("5/10m", 5, 600)]
    [InlineData("3/1s", 3, 1)]
    [InlineData(" 10/s ", 10, 1)]
    public void Parses_count_per_duration(string text, int count, int perSeconds)
    {
        Assert.True(MessageRate.TryParse(text, out var rate));
        Assert.Equal(count, rate.Count);
        Assert.Equal(TimeSpan.FromSeconds(perSeconds), rate.Per);
        Assert.False(rate.IsUnlimited);
        Assert.Equal(rate, MessageRate.Parse(text));
    }

    [Theory]
    [InlineData("unlimited")]
    [InlineData("Unlimited")]
    [InlineData("UNLIMITED")]
    [InlineData(" unlimited ")]
    public void Unlimited_in_any_case(string text)
    {
        Assert.True(MessageRate.TryParse(text, out var rate));
        Assert.True(rate.IsUnlimited);
        Assert.Equal(MessageRate.Unlimited, rate);
    }

    [Theory]
    [InlineData("0/s")]
    [InlineData("10/")]
    [InlineData("/s")]
    [InlineData("ten/s")]
    [InlineData("10/x")]
    [InlineData("-1/s")]
    [InlineData("+10/s")]
    [InlineData("10/0s")]
    [InlineData("10")]
    [InlineData("10/s/s")]
    [InlineData("")]
    [InlineData("limited")]
    public void Rejects_text_that_is_not_a_rate(string text)
    {
        Assert.False(MessageRate.TryParse(text, out _));
        var e = Assert.Throws<FormatException>(() => MessageRate.Parse(text));
        Assert.Contains($"'{text}'", e.Message);
    }

    [Fact]
    public void Rejects_null()
    {
        Assert.False(MessageRate.TryParse(null, out _));
    }

    [Theory]
    [InlineData("10/s")]
    [InlineData("600/m")]
    [InlineData("5/10m")]
    [InlineData("1000/h")]
    [InlineData("unlimited")]
    public void ToString_parses_back_to_the_same_rate(string text)
    {
        var rate = MessageRate.Parse(text);

        Assert.Equal(rate, MessageRate.Parse(rate.ToString()));
    }

    [Fact]
    public void ToString_of_unlimited_is_the_keyword()
    {
        Assert.Equal("unlimited", MessageRate.Unlimited.ToString());
        Assert.Equal("5/10m", MessageRate.Parse("5/10m").ToString());
    }
}
