using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Pipeline.Shared.Configuration;

namespace Pipeline.Shared.Hosting;

/// <summary>Decides the access level of a request from the client's address (the most specific configured network
/// wins) and an optional API key (whose level applies from anywhere); the higher of the two counts.</summary>
public sealed class HttpAccessPolicy
{
    public const string ApiKeyHeader = "X-Api-Key";

    private static readonly HttpAccessNetworkOptions[] LoopbackAdmin =
    [
        new() { Network = "127.0.0.0/8", Level = "admin" },
        new() { Network = "::1/128", Level = "admin" },
    ];

    private readonly (IPNetwork Network, HttpAccessLevel Level)[] _networks;
    private readonly (byte[] Key, HttpAccessLevel Level)[] _keys;

    public HttpAccessPolicy(PipelineOptions options) : this(options.HttpAccess) { }

    public HttpAccessPolicy(HttpAccessOptions options)
    {
        var networks = options.Networks.Count == 0 ? LoopbackAdmin : options.Networks.ToArray();
        // Longest prefix first, so the first match is the most specific one.
        _networks = networks
            .Select(n => (Network: ParseNetwork(n.Network), Level: HttpAccessLevels.TryParse(n.Level, out var l) ? l : HttpAccessLevel.None))
            .OrderByDescending(n => n.Network.PrefixLength)
            .ToArray();
        _keys = options.ApiKeys.Where(k => k.Key.Length > 0)
            .Select(k => (Encoding.UTF8.GetBytes(k.Key), HttpAccessLevels.TryParse(k.Level, out var l) ? l : HttpAccessLevel.None))
            .ToArray();
    }

    /// <summary>"10.0.0.0/8", or a bare address for one host.</summary>
    public static IPNetwork ParseNetwork(string text)
    {
        if (text.Contains('/')) return IPNetwork.Parse(text);
        var address = IPAddress.Parse(text);
        return new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
    }

    public static bool TryParseNetwork(string text, out IPNetwork network)
    {
        try { network = ParseNetwork(text); return true; }
        catch (FormatException) { network = default; return false; }
    }

    /// <summary>The level the client's network has; none for an address no network holds.</summary>
    public HttpAccessLevel LevelOf(IPAddress? client)
    {
        if (client is null) return HttpAccessLevel.None;
        if (client.IsIPv4MappedToIPv6) client = client.MapToIPv4();
        foreach (var (network, level) in _networks)
            if (network.BaseAddress.AddressFamily == client.AddressFamily && network.Contains(client)) return level;
        return HttpAccessLevel.None;
    }

    /// <summary>The level of an API key, or null when the key is not one of the configured ones.</summary>
    public HttpAccessLevel? LevelOfKey(string key)
    {
        var given = Encoding.UTF8.GetBytes(key);
        HttpAccessLevel? found = null;
        // Compare against every key in constant time, so timing tells nothing about which or how much matched.
        foreach (var (candidate, level) in _keys)
            if (CryptographicOperations.FixedTimeEquals(given, candidate) && (found is null || level > found)) found = level;
        return found;
    }

    /// <summary>The request's level and, when it presented an API key that is not configured, that fact.</summary>
    public (HttpAccessLevel Level, bool UnknownKey) Evaluate(HttpContext context)
    {
        var level = LevelOf(context.Connection.RemoteIpAddress);
        if (ApiKeyOf(context.Request) is not { Length: > 0 } key) return (level, false);
        return LevelOfKey(key) is { } keyLevel ? (keyLevel > level ? keyLevel : level, false) : (level, true);
    }

    public static string? ApiKeyOf(HttpRequest request)
    {
        if (request.Headers[ApiKeyHeader].FirstOrDefault() is { Length: > 0 } header) return header.Trim();
        if (request.Headers.Authorization.FirstOrDefault() is { } authorization &&
            authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return authorization["Bearer ".Length..].Trim();
        return null;
    }
}
