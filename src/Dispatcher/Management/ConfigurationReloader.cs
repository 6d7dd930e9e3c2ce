using System.Text.Json;
using Pipeline.Dispatcher.Routing;
using Pipeline.Dispatcher.Spool;
using Pipeline.Shared.Configuration;

namespace Pipeline.Dispatcher.Management;

/// <summary>PowerMTA's `pmta reload`: re-reads the configuration file, validates it as a start would, and applies what
/// a running Dispatcher can take without a restart: the domain settings (MaxMsgRate, MaxSmtpOut, RetryAfter, Route
/// ...; through <see cref="DomainPolicies.Reload"/>, which every queue looks up per connection) and each VirtualMTA's
/// limits (source-IP rates and connections, warm-up, EHLO name). Added or removed VirtualMTAs and other sections are
/// reported as needing a restart. A bad file changes nothing.</summary>
public sealed class ConfigurationReloader(PipelineOptions current, DomainPolicies policies, DomainGroups groups, SpoolRegistry spools,
    ReloadSettings settings, ILogger<ConfigurationReloader> log)
{
    private readonly Lock _lock = new();

    public sealed record Result(string Path, IReadOnlyList<string> Applied, IReadOnlyList<string> RestartNeeded, int RecipientsDueAgain);

    /// <summary>Reloads from <paramref name="path"/>; throws <see cref="PipelineConfigurationException"/> (naming
    /// each bad key) when the file is missing, malformed or invalid.</summary>
    public Result Reload(string path)
    {
        PipelineOptions fresh;
        try
        {
            fresh = PipelineConfiguration.Load(path, settings.RequireBroker).Options;
        }
        catch (PipelineConfigurationException e)
        {
            ManagementLog.ReloadRefused(log, path, e.Message);
            throw;
        }

        var applied = new List<string>();
        var restart = new List<string>();
        lock (_lock)
        {
            if (!SameJson(current.Domains, fresh.Domains))
            {
                // The options object is shared by every singleton: a reference swap is what they see next.
                current.Domains = fresh.Domains;
                policies.Reload(fresh);
                groups.Forget();
                applied.Add("Domains");
            }
            foreach (var (name, vmta) in current.VirtualMtas)
            {
                if (!fresh.VirtualMtas.TryGetValue(name, out var next))
                {
                    restart.Add($"VirtualMtas:{name} (removed)");
                    continue;
                }
                if (SameJson(vmta, next)) continue;
                if (!string.Equals(vmta.SourceIp, next.SourceIp, StringComparison.Ordinal))
                {
                    // A new address is a new VirtualMTA to receivers: its EHLO name and limits go with it at the restart,
                    // not onto the old address now.
                    restart.Add($"VirtualMtas:{name}:SourceIp");
                    continue;
                }
                vmta.HostName = next.HostName;
                vmta.SourceIpMaxMsgRate = next.SourceIpMaxMsgRate;
                vmta.SourceIpMaxConnectRate = next.SourceIpMaxConnectRate;
                vmta.SourceIpMaxSmtpOut = next.SourceIpMaxSmtpOut;
                // Deliveries read these while they change: the start goes in before a schedule appears and out after it
                // is gone (WarmUpSchedule also treats a schedule without a start as none).
                if (next.WarmUpStart is not null)
                {
                    vmta.WarmUpStart = next.WarmUpStart;
                    vmta.WarmUp = next.WarmUp;
                }
                else
                {
                    vmta.WarmUp = next.WarmUp;
                    vmta.WarmUpStart = next.WarmUpStart;
                }
                applied.Add($"VirtualMtas:{name}");
            }
            restart.AddRange(fresh.VirtualMtas.Keys.Where(name => !current.VirtualMtas.ContainsKey(name)).Select(name => $"VirtualMtas:{name} (added)"));
            foreach (var (section, before, after) in OtherSections(current, fresh))
                if (!SameJson(before, after)) restart.Add(section);
        }

        // Work that waits only because the old limits said so (a rate or warm-up wait, never tried) is looked at
        // again under the new ones now, not when the old wait would have ended.
        int due = 0;
        if (applied.Count > 0)
            foreach (var spool in spools.All) due += spool.RetryNow(null, onlyUntried: true);
        ManagementLog.Reloaded(log, path, applied.Count == 0 ? "nothing" : string.Join(", ", applied), restart.Count == 0 ? "nothing" : string.Join(", ", restart));
        return new Result(path, applied, restart, due);
    }

    private static IEnumerable<(string, object, object)> OtherSections(PipelineOptions a, PipelineOptions b) =>
    [
        ("ConnectionStrings", a.ConnectionStrings, b.ConnectionStrings),
        ("Pools", a.Pools, b.Pools),
        ("Dns", a.Dns, b.Dns),
        ("Bounce", a.Bounce, b.Bounce),
        ("Dispatcher", a.Dispatcher, b.Dispatcher),
        ("HttpAccess", a.HttpAccess, b.HttpAccess),
    ];

    private static bool SameJson(object a, object b) =>
        JsonSerializer.Serialize(a) == JsonSerializer.Serialize(b);
}

/// <summary>How this Dispatcher validates a reloaded file: as its start did (the standalone host needs no broker).</summary>
public sealed record ReloadSettings(bool RequireBroker);
