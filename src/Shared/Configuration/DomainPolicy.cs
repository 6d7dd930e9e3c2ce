using System.Net;

namespace Pipeline.Shared.Configuration;

/// <summary>The effective, parsed delivery settings of one destination domain.</summary>
public sealed record DomainPolicy
{
    public required int MaxSmtpOut { get; init; }
    public required int MaxMsgPerConnection { get; init; }
    public required MessageRate MaxMsgRate { get; init; }
    public required TimeSpan RetryAfter { get; init; }
    public required TimeSpan BounceAfter { get; init; }
    public required bool UseStartTls { get; init; }
    public required bool RequireStartTls { get; init; }
    public required TimeSpan BackoffToNormalAfter { get; init; }
    /// <summary>Fixed next hop instead of MX resolution; null to use the MX.</summary>
    public DnsEndPoint? Route { get; init; }

    /// <summary>What applies when the file says nothing: PowerMTA's usual defaults.</summary>
    public static DomainPolicy BuiltIn { get; } = new()
    {
        MaxSmtpOut = 20,
        MaxMsgPerConnection = 100,
        MaxMsgRate = MessageRate.Unlimited,
        RetryAfter = TimeSpan.FromMinutes(10),
        BounceAfter = TimeSpan.FromDays(4),
        UseStartTls = true,
        RequireStartTls = false,
        BackoffToNormalAfter = TimeSpan.FromMinutes(10),
    };

    /// <summary>Applies the fields <paramref name="options"/> sets on top of this policy.
    /// The text fields must already have passed <see cref="PipelineOptionsValidator"/>.</summary>
    public DomainPolicy Overlay(DomainOptions options) => this with
    {
        MaxSmtpOut = options.MaxSmtpOut ?? MaxSmtpOut,
        MaxMsgPerConnection = options.MaxMsgPerConnection ?? MaxMsgPerConnection,
        MaxMsgRate = options.MaxMsgRate is { } rate ? MessageRate.Parse(rate) : MaxMsgRate,
        RetryAfter = options.RetryAfter is { } retry ? DurationText.Parse(retry) : RetryAfter,
        BounceAfter = options.BounceAfter is { } bounce ? DurationText.Parse(bounce) : BounceAfter,
        UseStartTls = options.UseStartTls ?? UseStartTls,
        RequireStartTls = options.RequireStartTls ?? RequireStartTls,
        BackoffToNormalAfter = options.BackoffToNormalAfter is { } back ? DurationText.Parse(back) : BackoffToNormalAfter,
        Route = options.Route is { } route ? HostPort.Parse(route) : Route,
    };
}
