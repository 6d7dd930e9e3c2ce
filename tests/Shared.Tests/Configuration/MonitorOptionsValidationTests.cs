using Pipeline.Shared.Configuration;

namespace Pipeline.Shared.Tests.Configuration;

/// <summary>The monitor's, the status board's and the archiving keys: validated at start, each error naming its key.</summary>
public sealed class MonitorOptionsValidationTests
{
    private static PipelineOptions Valid() => new()
    {
        ConnectionStrings = { RabbitMq = "amqp://guest:guest@127.0.0.1:5672/" },
        VirtualMtas = { ["mta1"] = new() { SourceIp = "127.0.0.2", HostName = "mta1.example.test" } },
        Pools = { [PipelineOptions.DefaultPool] = ["mta1"] },
    };

    [Fact]
    public void The_defaults_are_valid_and_keep_files_forever()
    {
        var o = Valid();
        Assert.Empty(PipelineOptionsValidator.Validate(o, requireBroker: true));
        Assert.Equal(("5s", "pipeline:status:", 50), (o.Dispatcher.StatusInterval, o.Monitor.RedisPrefix, o.Monitor.RecentEvents));
        Assert.Null(RetentionText.Parse(o.BounceProcessor.AccountingRetention));
        Assert.Null(RetentionText.Parse(o.Log.Retention));
    }

    [Fact]
    public void Bad_values_are_reported_by_key()
    {
        var o = Valid();
        o.Dispatcher.StatusInterval = "often";
        o.Dispatcher.InstanceName = "worker one";
        o.Monitor.RedisPrefix = " ";
        o.Monitor.RecentEvents = 0;
        o.Monitor.RateMinutes = 500;
        o.Monitor.Refresh = "10ms";
        o.Log.Level = "Chatty";
        o.Log.Retention = "12h";
        using var folder = new TempDirectory();
        o.Log.Directory = folder.WriteFile("not-a-folder", "");
        o.BounceProcessor.AccountingRetention = "ninety days";

        var errors = PipelineOptionsValidator.Validate(o, requireBroker: true);

        foreach (var key in new[] { "Dispatcher:StatusInterval", "Dispatcher:InstanceName", "Monitor:RedisPrefix", "Monitor:RecentEvents",
                     "Monitor:RateMinutes", "Monitor:Refresh", "Log:Level", "Log:Directory", "Log:Retention", "BounceProcessor:AccountingRetention" })
            Assert.Contains(errors, e => e.StartsWith(key + ": ", StringComparison.Ordinal));
        Assert.Equal(10, errors.Count);
    }

    [Theory]
    [InlineData("90d", 90)]
    [InlineData("2w", 14)]
    [InlineData("0", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Retention_is_whole_days_or_forever(string? text, int? days)
    {
        Assert.True(RetentionText.TryParse(text, out var parsed));
        Assert.Equal(days, parsed);
    }

    [Theory]
    [InlineData("36h")]
    [InlineData("12h")]
    [InlineData("-1d")]
    [InlineData("forever")]
    public void Retention_that_is_not_whole_days_is_refused(string text) => Assert.False(RetentionText.TryParse(text, out _));
}
