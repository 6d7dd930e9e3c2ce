using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.Dispatcher.Delivery;
using Pipeline.Dispatcher.Spool;
using Pipeline.Dispatcher.Status;
using Pipeline.Dispatcher.Tests.Support;
using Pipeline.Shared.Configuration;
using Pipeline.Shared.Status;

namespace Pipeline.Dispatcher.Tests.Status;

/// <summary>The Dispatcher as registered by AddDispatcher (in-process state), its spool holding mail for two domains:
/// the snapshot it publishes carries the very rows of GET /api/v1/queues, under its worker name, and leaves the board
/// three intervals after its last publication.</summary>
public sealed class QueueSnapshotPublisherTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        var options = TestPipeline.Options(_data.Path);
        options.Dispatcher.Serve = ["mta1"];
        options.Dispatcher.StatusInterval = "2s";
        options.Dispatcher.InstanceName = "dispatcher-test-1";
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(options);
        services.AddSingleton(new DomainPolicies(options));
        var module = services.AddDispatcher(options, sharedState: false);
        services.AddSingleton<TimeProvider>(_clock);
        services.AddMassTransitTestHarness(TextWriter.Null, module.AddConsumers);
        _services = services.BuildServiceProvider();
        await _services.GetRequiredService<SpoolRegistry>().StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task The_snapshot_is_the_queue_rows_of_this_worker_and_expires_after_three_intervals()
    {
        var spool = _services.GetRequiredService<SpoolRegistry>().For("mta1");
        await spool.StoreAsync(TestPipeline.Message(["a@example.test", "b@example.test", "c@example.org"]), CancellationToken.None);
        var publisher = _services.GetServices<IHostedService>().OfType<QueueSnapshotPublisher>().Single();
        var board = _services.GetRequiredService<IStatusBoard>();

        await publisher.PublishOnceAsync(CancellationToken.None);
        var expected = await _services.GetRequiredService<QueueStatusRows>().BuildAsync(CancellationToken.None);

        var snapshot = Assert.Single((await board.ReadAsync(_clock.GetUtcNow(), 1, default)).Dispatchers);
        Assert.Equal("dispatcher-test-1", snapshot.Worker);
        Assert.Equal(["mta1"], snapshot.VirtualMtas);
        Assert.Equal(["example.org", "example.test"], snapshot.Queues.Select(q => q.Domain));
        Assert.Equal([1L, 2L], snapshot.Queues.Select(q => q.Queued + q.Deferred + q.InFlight));
        Assert.Equal(expected.Select(q => (q.VirtualMta, q.Domain, q.Group, q.Queued, q.Deferred, q.InFlight, q.Oldest, q.Mode)),
            snapshot.Queues.Select(q => (q.VirtualMta, q.Domain, q.Group, q.Queued, q.Deferred, q.InFlight, q.Oldest, q.Mode)));
        Assert.Equal(TimeSpan.FromSeconds(2), publisher.Interval);

        _clock.UtcNow += TimeSpan.FromSeconds(5);
        Assert.Single((await board.ReadAsync(_clock.GetUtcNow(), 1, default)).Dispatchers);
        _clock.UtcNow += TimeSpan.FromSeconds(2);
        Assert.Empty((await board.ReadAsync(_clock.GetUtcNow(), 1, default)).Dispatchers);
    }

    [Fact]
    public async Task With_a_limit_the_deepest_queues_keep_their_rows_and_the_rest_are_summed_in_one()
    {
        var spool = _services.GetRequiredService<SpoolRegistry>().For("mta1");
        await spool.StoreAsync(TestPipeline.Message(["a@example.test", "b@example.test", "c@example.test", "d@example.org", "e@example.org",
            "f@example.net", "g@example.com"]), CancellationToken.None);
        var rows = _services.GetRequiredService<QueueStatusRows>();

        var all = await rows.BuildAsync(CancellationToken.None);
        Assert.Equal(["example.com", "example.net", "example.org", "example.test"], all.Select(r => r.Domain));

        var capped = await rows.BuildAsync(CancellationToken.None, limitPerVirtualMta: 2);
        Assert.Equal(["example.org", "example.test", QueueStatusRows.OtherDomains], capped.Select(r => r.Domain));
        var other = capped[^1];
        Assert.Equal(2, other.Queued + other.Deferred + other.InFlight);
        Assert.Equal("2 domains", other.Group);
        Assert.Equal(all.Sum(r => r.Queued + r.Deferred + r.InFlight), capped.Sum(r => r.Queued + r.Deferred + r.InFlight));
    }
}
