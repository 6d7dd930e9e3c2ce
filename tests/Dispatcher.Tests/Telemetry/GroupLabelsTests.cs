using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Contracts;
using Pipeline.Dispatcher.Telemetry;

namespace Pipeline.Dispatcher.Tests.Telemetry;

/// <summary>Mail to many self-hosted domains (each its own provider group) keeps the delivery metrics to a bounded
/// number of series: the first groups keep their names, the rest are counted as "other", and nothing is lost.</summary>
public sealed class GroupLabelsTests
{
    [Fact]
    public void Groups_beyond_the_limit_are_counted_as_other_without_losing_a_count()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var recorder = new MetricRecorder(services.GetRequiredService<IMeterFactory>());
        var metrics = new DeliveryMetrics(services.GetRequiredService<IMeterFactory>(), new GroupLabels());
        const int groups = GroupLabels.Limit + 50;

        for (int i = 0; i < groups; i++)
            metrics.Attempted("mta1", $"d{i}.example", [Delivered($"a@d{i}.example")]);
        metrics.Attempted("mta1", "d0.example", [Delivered("b@d0.example")]);

        Assert.Equal(groups + 1, recorder.Sum("pipeline.messages.delivered"));
        Assert.Equal(2, recorder.Sum("pipeline.messages.delivered", ("group", "d0.example")));
        Assert.Equal(50, recorder.Sum("pipeline.messages.delivered", ("group", GroupLabels.Other)));
        Assert.Equal(0, recorder.Sum("pipeline.messages.delivered", ("group", $"d{groups - 1}.example")));
    }

    private static DeliveryAttempted Delivered(string recipient) => new()
    {
        AttemptId = Guid.NewGuid(), MessageId = Guid.NewGuid(), Outcome = DeliveryOutcome.Delivered, MailFrom = "s@example.com",
        Recipient = recipient, SmtpCode = 250, EnhancedStatus = "2.0.0", Diagnostic = "250 2.0.0 Ok", VirtualMta = "mta1",
        QueuedAt = DateTimeOffset.UnixEpoch, AttemptedAt = DateTimeOffset.UnixEpoch, AttemptNumber = 1,
    };
}
