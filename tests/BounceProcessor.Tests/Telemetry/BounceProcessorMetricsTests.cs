using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.BounceProcessor.Telemetry;

namespace Pipeline.BounceProcessor.Tests.Telemetry;

public sealed class BounceProcessorMetricsTests
{
    [Fact]
    public async Task Feedback_is_counted_by_its_arf_type_and_a_type_nobody_defined_counts_as_other()
    {
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var recorder = new MetricRecorder(meters);
        var metrics = new BounceProcessorMetrics(meters);

        metrics.Feedback("abuse");
        metrics.Feedback("Abuse");
        metrics.Feedback("not-spam");
        metrics.Feedback("x-made-up-by-a-reporter");

        Assert.Equal(2, recorder.Sum("pipeline.feedback", ("type", "abuse")));
        Assert.Equal(1, recorder.Sum("pipeline.feedback", ("type", "not-spam")));
        Assert.Equal(1, recorder.Sum("pipeline.feedback", ("type", "other")));
        Assert.Equal(4, recorder.Sum("pipeline.feedback"));
    }
}
