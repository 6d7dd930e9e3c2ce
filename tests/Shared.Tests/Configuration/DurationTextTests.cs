using Pipeline.Shared.Configuration;

namespace Pipeline.Shared.Tests.Configuration;

public sealed class DurationTextTests
{
    [Theory]
    [InlineData("20s", 0, 0, 0, 20, 0)]
    [InlineData("10m", 0, 0, 10, 0, 0)]
    [InlineData("4d12h", 4, 12, 0, 0, 0)]
    [InlineData("1h30m", 0, 1, 30, 0, 0)]
    [InlineData("500ms", 0, 0, 0, 0, 500)]
    [InlineData("1w", 7, 0, 0, 0, 0)]
    [InlineData("2w1d", 15, 0, 0, 0, 0)]
    [InlineData("1.5h", 0, 1, 30, 0, 0)]
    [InlineData("1d2h3m4s5ms", 1, 2, 3, 4, 5)]
    [InlineData(" 10m ", 0, 0, 10, 0, 0)]
    [InlineData("0s", 0, 0, 0, 0, 0)]
    public void Parses_operator_durations(string text, int days, int hours, int minutes, int seconds, int milliseconds)
    {
        var expected = new TimeSpan(days, hours, minutes, seconds, milliseconds);

        Assert.True(DurationText.TryParse(text, out var value));
        Assert.Equal(expected, value);
        Assert.Equal(expected, DurationText.Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("10")]
    [InlineData("10x")]
    [InlineData("m")]
    [InlineData("-5m")]
    [InlineData("10 m")]
    [InlineData("10M")]
    [InlineData("5m10")]
    [InlineData(".m")]
    [InlineData("1.2.3s")]
    public void Rejects_text_that_is_not_a_duration(string text)
    {
        Assert.False(DurationText.TryParse(text, out var value));
        Assert.Equal(TimeSpan.Zero, value);
        var e = Assert.Throws<FormatException>(() => DurationText.Parse(text));
        Assert.Contains($"'{text}'", e.Message);
    }

    [Theory]
    [InlineData("99999999d")]
    [InlineData("10675199d10675199d")]
    public void Rejects_a_duration_too_long_for_TimeSpan(string text)
    {
        // The validator calls TryParse on operator input: it must answer false, not throw OverflowException.
        Assert.False(DurationText.TryParse(text, out _));
        Assert.Throws<FormatException>(() => DurationText.Parse(text));
    }

    [Fact]
    public void Rejects_null()
    {
        Assert.False(DurationText.TryParse(null, out _));
    }

    [Theory]
    [InlineData("20s")]
    [InlineData("10m")]
    [InlineData("4d12h")]
    [InlineData("1h30m")]
    [InlineData("500ms")]
    [InlineData("1d2h3m4s5ms")]
    [InlineData("0s")]
    public void Format_writes_canonical_text_back_unchanged(string text)
    {
        Assert.Equal(text, DurationText.Format(DurationText.Parse(text)));
    }

    [Theory]
    [InlineData("1w", "7d")]
    [InlineData("90m", "1h30m")]
    [InlineData("36h", "1d12h")]
    [InlineData("1500ms", "1s500ms")]
    [InlineData("0.5m", "30s")]
    public void Format_writes_the_shortest_equivalent(string text, string expected)
    {
        Assert.Equal(expected, DurationText.Format(DurationText.Parse(text)));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(999L)]
    [InlineData(60_000L)]
    [InlineData(86_399_999L)]
    [InlineData(864_000_000L)]
    [InlineData(1_234_567_890L)]
    public void Format_then_Parse_gives_the_same_value(long milliseconds)
    {
        var value = TimeSpan.FromMilliseconds(milliseconds);

        Assert.Equal(value, DurationText.Parse(DurationText.Format(value)));
    }

    [Theory]
    [InlineData("10m", new[] { 600 })]
    [InlineData("5m,15m,1h", new[] { 300, 900, 3600 })]
    [InlineData(" 5m , 1h ", new[] { 300, 3600 })]
    public void Parses_retry_schedules(string text, int[] seconds) =>
        Assert.Equal(seconds.Select(s => TimeSpan.FromSeconds(s)), DurationText.ParseSchedule(text));

    [Theory]
    [InlineData("")]
    [InlineData("5m,")]
    [InlineData("5m,,1h")]
    [InlineData("0s")]
    [InlineData("5m,soon")]
    public void Rejects_bad_schedules(string text) => Assert.False(DurationText.TryParseSchedule(text, out _));
}
