using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Dispatcher.Delivery;
using Pipeline.Dispatcher.Management;
using Pipeline.Dispatcher.Spool;
using Pipeline.Dispatcher.Tests.Support;
using Pipeline.Shared.Configuration;

namespace Pipeline.Dispatcher.Tests.Management;

/// <summary>The Dispatcher's management objects over a real spool of mta1 in a temporary folder, with a recording
/// publisher instead of the bus and no delivery workers (no queue is ever started here). Reopen it on the same
/// folder and pause store to see what survives a restart.</summary>
public sealed class ManagementHarness : IAsyncDisposable
{
    public PipelineOptions Options { get; }
    public ManualTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 14, 9, 0, 0, TimeSpan.Zero));
    public SpoolRegistry Spools { get; }
    public RecordingPublishEndpoint Events { get; } = new();
    public IPauseStore Store { get; }
    public PauseSynchronizer Synchronizer { get; }
    public QueueManager Manager { get; }
    public DeliveryEngine Engine { get; }
    public DeliveryQueues Queues { get; }
    public Pipeline.Dispatcher.Spool.Spool Spool => Spools.For("mta1");

    private ManagementHarness(PipelineOptions options, IPauseStore store)
    {
        Options = options;
        Store = store;
        var policies = new DomainPolicies(options);
        Spools = new SpoolRegistry(options, new ServedVirtualMtas(options), Clock, NullLoggerFactory.Instance);
        Engine = new DeliveryEngine(policies, options, Clock, NullLogger<DeliveryEngine>.Instance);
        // Only the parts a management call touches; a DomainQueue is never created in these tests.
        var queues = Queues = new DeliveryQueues(new DeliveryServices(null!, null!, Engine, null!, policies, null!, Clock, NullLogger<DomainQueue>.Instance));
        Synchronizer = new PauseSynchronizer(store, Spools, queues, Engine, Clock, NullLogger<PauseSynchronizer>.Instance);
        Manager = new QueueManager(store, Synchronizer, Spools, queues, Engine, Events, Clock, NullLogger<QueueManager>.Instance);
    }

    /// <summary>Opens the spools and applies the stored pauses, as a Dispatcher's start does before its first take.</summary>
    public static async Task<ManagementHarness> StartAsync(string dataDirectory, IPauseStore? store = null)
    {
        var options = TestPipeline.Options(dataDirectory);
        options.Dispatcher.Serve = ["mta1"];
        var harness = new ManagementHarness(options, store ?? new LocalPauseStore());
        await harness.Spools.StartAsync(CancellationToken.None);
        await harness.Synchronizer.StartAsync(CancellationToken.None);
        return harness;
    }

    public async ValueTask DisposeAsync()
    {
        await Synchronizer.StopAsync(CancellationToken.None);
        Synchronizer.Dispose();
        await Spools.DisposeAsync();
    }
}
