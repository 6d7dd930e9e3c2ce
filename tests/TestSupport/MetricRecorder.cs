using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Pipeline.TestSupport;

/// <summary>Listens to the instruments of one <see cref="IMeterFactory"/> (one test's service provider, so tests running
/// side by side do not see each other's counts) and sums what they record.</summary>
public sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<Measurement> _recorded = new();
    private readonly ConcurrentQueue<Measurement> _observed = new();

    private sealed record Measurement(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags);

    public MetricRecorder(IMeterFactory scope)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, scope)) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((i, v, t, _) => Add(i, v, t));
        _listener.SetMeasurementEventCallback<int>((i, v, t, _) => Add(i, v, t));
        _listener.SetMeasurementEventCallback<double>((i, v, t, _) => Add(i, v, t));
        _listener.Start();
    }

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var measurement = new Measurement(instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value));
        (instrument.IsObservable ? _observed : _recorded).Enqueue(measurement);
    }

    /// <summary>The sum of what counters and histograms named <paramref name="instrument"/> recorded with all these tags.</summary>
    public double Sum(string instrument, params (string Key, string Value)[] tags) =>
        _recorded.Where(m => m.Instrument == instrument && Matches(m, tags)).Sum(m => m.Value);

    /// <summary>How many values <paramref name="instrument"/> recorded with all these tags (a histogram's sample count).</summary>
    public int Count(string instrument, params (string Key, string Value)[] tags) =>
        _recorded.Count(m => m.Instrument == instrument && Matches(m, tags));

    /// <summary>Reads the observable instruments now: each value of <paramref name="instrument"/> with all these tags.</summary>
    public IReadOnlyList<(double Value, IReadOnlyDictionary<string, object?> Tags)> Observe(string instrument, params (string Key, string Value)[] tags)
    {
        lock (_observed)
        {
            _observed.Clear();
            _listener.RecordObservableInstruments();
            return _observed.Where(m => m.Instrument == instrument && Matches(m, tags)).Select(m => (m.Value, m.Tags)).ToList();
        }
    }

    private static bool Matches(Measurement m, (string Key, string Value)[] tags) =>
        tags.All(t => m.Tags.TryGetValue(t.Key, out var v) && string.Equals(v?.ToString(), t.Value, StringComparison.Ordinal));

    public void Dispose() => _listener.Dispose();
}
