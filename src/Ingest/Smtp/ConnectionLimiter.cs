using System.Collections.Concurrent;
using System.Net;
using Pipeline.Shared.Configuration;

namespace Pipeline.Ingest.Smtp;

/// <summary>Admission of new SMTP connections: at most Ingest:Smtp:MaxSessions at once, and at most
/// Ingest:Smtp:MaxConnectionRatePerIp new connections per client address (a fixed window per address).</summary>
public sealed class ConnectionLimiter(PipelineOptions options, TimeProvider clock)
{
    /// <summary>Why a connection was turned away, or <see cref="None"/>.</summary>
    public enum Refusal { None, TooManySessions, RateExceeded }

    private readonly int _maxSessions = options.Ingest.Smtp.MaxSessions;
    private readonly MessageRate _rate = MessageRate.Parse(options.Ingest.Smtp.MaxConnectionRatePerIp);
    private readonly ConcurrentDictionary<IPAddress, Window> _windows = new();
    private int _sessions;

    public int Sessions => Volatile.Read(ref _sessions);

    /// <summary>Admits a connection (then <see cref="Release"/> must follow when it ends) or says why not.</summary>
    public Refusal TryAdmit(IPAddress client)
    {
        if (!_rate.IsUnlimited && !WithinRate(client)) return Refusal.RateExceeded;
        // Interlocked: sessions start and end on many threads; increment first, undo when over the limit.
        if (Interlocked.Increment(ref _sessions) > _maxSessions)
        {
            Interlocked.Decrement(ref _sessions);
            return Refusal.TooManySessions;
        }
        return Refusal.None;
    }

    public void Release() => Interlocked.Decrement(ref _sessions);

    private bool WithinRate(IPAddress client)
    {
        var now = clock.GetUtcNow();
        var window = _windows.GetOrAdd(client, _ => new Window());
        bool allowed;
        lock (window)
        {
            if (now - window.Start >= _rate.Per)
            {
                window.Start = now;
                window.Count = 0;
            }
            allowed = ++window.Count <= _rate.Count;
        }
        if (_windows.Count > 10_000) Prune(now);
        return allowed;
    }

    /// <summary>Forgets addresses whose window has passed, so a scan from many addresses cannot grow the table forever.</summary>
    private void Prune(DateTimeOffset now)
    {
        foreach (var (address, window) in _windows)
        {
            if (now - window.Start >= _rate.Per) _windows.TryRemove(address, out _);
        }
    }

    private sealed class Window
    {
        public DateTimeOffset Start;
        public int Count;
    }
}
