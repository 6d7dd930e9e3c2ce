using System.Net.Sockets;
using MailKit.Net.Smtp;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Retry;

namespace Pipeline.Dispatcher.Delivery;

/// <summary>Per receiving host (address and port): one more try with jitter when a connection fails, and a circuit
/// breaker that stops connecting to a host failing most of its connections for a while, so that delivery moves on
/// to the next MX at once instead of waiting out a connect timeout per message.</summary>
public sealed class MxHostHealth
{
    private static readonly PredicateBuilder<object> ConnectionTrouble = new PredicateBuilder()
        .Handle<SocketException>().Handle<IOException>().Handle<TimeoutException>().Handle<SmtpProtocolException>();

    private readonly ResiliencePipelineRegistry<string> _hosts = new();

    /// <summary>Connects through the host's pipeline; throws <see cref="BrokenCircuitException"/> while the host is
    /// considered down.</summary>
    public ValueTask<T> ConnectAsync<T>(string host, Func<CancellationToken, ValueTask<T>> connect, CancellationToken cancellationToken) =>
        _hosts.GetOrAddPipeline(host, builder => builder
                .AddRetry(new RetryStrategyOptions
                {
                    ShouldHandle = ConnectionTrouble,
                    MaxRetryAttempts = 1,
                    Delay = TimeSpan.FromMilliseconds(500),
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                })
                .AddCircuitBreaker(new CircuitBreakerStrategyOptions
                {
                    ShouldHandle = ConnectionTrouble,
                    FailureRatio = 0.8,
                    MinimumThroughput = 5,
                    SamplingDuration = TimeSpan.FromMinutes(1),
                    BreakDuration = TimeSpan.FromSeconds(30),
                }))
            .ExecuteAsync(connect, cancellationToken);
}
