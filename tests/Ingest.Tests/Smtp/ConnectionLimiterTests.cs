using System.Net;
using Pipeline.Ingest.Smtp;
using Pipeline.Shared.Configuration;

namespace Pipeline.Ingest.Tests.Smtp;

public sealed class ConnectionLimiterTests
{
    private static readonly IPAddress A = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress B = IPAddress.Parse("127.0.0.3");
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private ConnectionLimiter Limiter(int maxSessions = 100, string rate = "unlimited") =>
        new(new PipelineOptions { Ingest = { Smtp = { MaxSessions = maxSessions, MaxConnectionRatePerIp = rate } } }, _clock);

    [Fact]
    public void Sessions_beyond_the_maximum_are_refused_until_one_ends()
    {
        var limiter = Limiter(maxSessions: 2);

        Assert.Equal(ConnectionLimiter.Refusal.None, limiter.TryAdmit(A));
        Assert.Equal(ConnectionLimiter.Refusal.None, limiter.TryAdmit(B));
        Assert.Equal(ConnectionLimiter.Refusal.TooManySessions, limiter.TryAdmit(A));
        Assert.Equal(2, limiter.Sessions);

        limiter.Release();

        Assert.Equal(ConnectionLimiter.Refusal.None, limiter.TryAdmit(A));
    }

    [Fact]
    public void The_rate_is_per_client_address_and_per_window()
    {
        var limiter = Limiter(rate: "2/m");

        Assert.Equal(ConnectionLimiter.Refusal.None, limiter.TryAdmit(A));
        Assert.Equal(ConnectionLimiter.Refusal.None, limiter.TryAdmit(A));
        Assert.Equal(ConnectionLimiter.Refusal.RateExceeded, limiter.TryAdmit(A));
        Assert.Equal(ConnectionLimiter.Refusal.None, limiter.TryAdmit(B));

        _clock.UtcNow += TimeSpan.FromMinutes(1);

        Assert.Equal(ConnectionLimiter.Refusal.None, limiter.TryAdmit(A));
    }

    [Fact]
    public void A_refused_connection_does_not_hold_a_session()
    {
        var limiter = Limiter(maxSessions: 5, rate: "1/h");

        limiter.TryAdmit(A);
        limiter.TryAdmit(A);

        Assert.Equal(1, limiter.Sessions);
    }
}
