using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Contracts;
using Pipeline.Dispatcher.Spool;
using Pipeline.Dispatcher.Tests.Support;

namespace Pipeline.Dispatcher.Tests.Spool;

/// <summary>A spool in a temporary folder with small segments and a settable clock, reopened at will as after a crash
/// or a restart.</summary>
public sealed class SpoolFixture : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 14, 9, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _root = new();

    public ManualTimeProvider Clock { get; } = new(Start);
    public SpoolSettings Settings { get; init; } = new(SpoolOptionsMin, TimeSpan.FromMilliseconds(1), 64);
    public string Directory => Path.Combine(_root.Path, "mta1");
    public Pipeline.Dispatcher.Spool.Spool? Current { get; private set; }

    private const long SpoolOptionsMin = Pipeline.Shared.Configuration.SpoolOptions.MinSegmentSize;

    public Pipeline.Dispatcher.Spool.Spool Open(string? directory = null)
    {
        Current = Pipeline.Dispatcher.Spool.Spool.Open(directory ?? Directory, "mta1", Settings, Clock, NullLogger.Instance);
        return Current;
    }

    public async Task<Pipeline.Dispatcher.Spool.Spool> ReopenAsync()
    {
        if (Current is not null) await Current.DisposeAsync();
        return Open();
    }

    public string[] SegmentFiles(string? directory = null) =>
        System.IO.Directory.GetFiles(directory ?? Directory, "spool-*.seg").Order(StringComparer.Ordinal).ToArray();

    public static MessageSigned Message(params string[] recipients) => TestPipeline.Message(recipients, acceptedAt: Start);

    public static MessageSigned Message(int bodyBytes, params string[] recipients) =>
        TestPipeline.Message(recipients, acceptedAt: Start, content: TestPipeline.DefaultContent + new string('x', bodyBytes) + "\r\n");

    public async ValueTask DisposeAsync()
    {
        if (Current is not null) await Current.DisposeAsync();
        _root.Dispose();
    }
}
