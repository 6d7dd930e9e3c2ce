using Pipeline.Shared.Configuration;

namespace Pipeline.Shared.Tests.Configuration;

public sealed class BounceProcessorOptionsValidationTests
{
    private static PipelineOptions Valid() => new()
    {
        ConnectionStrings = { RabbitMq = "amqp://guest:guest@127.0.0.1:5672/" },
        VirtualMtas = { ["mta1"] = new() { SourceIp = "127.0.0.2", HostName = "mta1.example.test" } },
        Pools = { [PipelineOptions.DefaultPool] = ["mta1"] },
    };

    [Fact]
    public void A_missing_rules_file_a_bad_retention_and_a_bad_fbl_address_are_reported_by_key()
    {
        var o = Valid();
        o.BounceProcessor.RulesFile = "/nonexistent/bounce-rules.json";
        o.BounceProcessor.SentRetention = "a month";
        o.Bounce.FblAddress = "not-an-address";

        var errors = PipelineOptionsValidator.Validate(o, requireBroker: true);

        Assert.Contains(errors, e => e.StartsWith("BounceProcessor:RulesFile: ", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("BounceProcessor:SentRetention: ", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Bounce:FblAddress: ", StringComparison.Ordinal));
    }

    [Fact]
    public void The_defaults_are_valid()
    {
        var o = Valid();
        Assert.Equal(("pipeline:", "30d", ""), (o.BounceProcessor.RedisPrefix, o.BounceProcessor.SentRetention, o.BounceProcessor.QueuePrefix));
        Assert.Empty(PipelineOptionsValidator.Validate(o, requireBroker: true));
    }
}
