using System.Net;

namespace Pipeline.Shared.Configuration;

/// <summary>The effective, parsed delivery settings of one destination domain.</summary>
public sealed record DomainPolicy
{
    public required int MaxSmtpOut { get; init; }
    public required int MaxMsgPerConnection { get; init; }
    public required MessageRate MaxMsgRate { get; init; }
    /// <summary>The wait before the first retry (the first step of <see cref="RetrySchedule"/>).</summary>
    public TimeSpan RetryAfter => RetrySchedule[0];
    /// <summary>The wait before each retry; the last step repeats.</summary>
    public required IReadOnlyList<TimeSpan> RetrySchedule { get; init; }
    public required TimeSpan BounceAfter { get; init; }
    public required bool UseStartTls { get; init; }
    public required bool RequireStartTls { get; init; }
    public required TimeSpan BackoffToNormalAfter { get; init; }
    /// <summary>Fixed next hop instead of MX resolution; null to use the MX.</summary>
    public DnsEndPoint? Route { get; init; }
    public required MessageRate MaxConnectRate { get; init; }
    /// <summary>What replaces the normal limits while the queue is in backoff mode.</summary>
    public required MessageRate BackoffMaxMsgRate { get; init; }
    public required int BackoffMaxSmtpOut { get; init; }
    public required TimeSpan BackoffRetryAfter { get; init; }

    /// <summary>The wait after a deferral, given how many attempts were made so far (1 after the first).</summary>
    public TimeSpan RetryDelay(int attemptsMade) => RetrySchedule[Math.Clamp(attemptsMade - 1, 0, RetrySchedule.Count - 1)];

    /// <summary>What applies when the file says nothing: PowerMTA's usual defaults.</summary>
    public static DomainPolicy BuiltIn { get; } = new()
    {
        MaxSmtpOut = 20,
        MaxMsgPerConnection = 100,
        MaxMsgRate = MessageRate.Unlimited,
        RetrySchedule = [TimeSpan.FromMinutes(10)],
        BounceAfter = TimeSpan.FromDays(4),
        UseStartTls = true,
        RequireStartTls = false,
        BackoffToNormalAfter = TimeSpan.FromMinutes(10),
        MaxConnectRate = MessageRate.Unlimited,
        BackoffMaxMsgRate = MessageRate.Parse("60/m"),
        BackoffMaxSmtpOut = 2,
        BackoffRetryAfter = TimeSpan.FromMinutes(20),
    };

    /// <summary>Applies the fields <paramref name="options"/> sets on top of this policy.
    /// The text fields must already have passed <see cref="PipelineOptionsValidator"/>.</summary>
    public DomainPolicy Overlay(DomainOptions options) => this with
    {
        MaxSmtpOut = options.MaxSmtpOut ?? MaxSmtpOut,
        MaxMsgPerConnection = options.MaxMsgPerConnection ?? MaxMsgPerConnection,
        MaxMsgRate = options.MaxMsgRate is { } rate ? MessageRate.Parse(rate) : MaxMsgRate,
        RetrySchedule = options.RetryAfter is { } retry ? DurationText.ParseSchedule(retry) : RetrySchedule,
        BounceAfter = options.BounceAfter is { } bounce ? DurationText.Parse(bounce) : BounceAfter,
        UseStartTls = options.UseStartTls ?? UseStartTls,
        RequireStartTls = options.RequireStartTls ?? RequireStartTls,
        BackoffToNormalAfter = options.BackoffToNormalAfter is { } back ? DurationText.Parse(back) : BackoffToNormalAfter,
        Route = options.Route is { } route ? HostPort.Parse(route) : Route,
        MaxConnectRate = options.MaxConnectRate is { } connect ? MessageRate.Parse(connect) : MaxConnectRate,
        BackoffMaxMsgRate = options.BackoffMaxMsgRate is { } backoffRate ? MessageRate.Parse(backoffRate) : BackoffMaxMsgRate,
        BackoffMaxSmtpOut = options.BackoffMaxSmtpOut ?? BackoffMaxSmtpOut,
        BackoffRetryAfter = options.BackoffRetryAfter is { } backoffRetry ? DurationText.Parse(backoffRetry) : BackoffRetryAfter,
    };
}
