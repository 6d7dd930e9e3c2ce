using System.Net;
using System.Net.NetworkInformation;
using Pipeline.Shared.Configuration;

namespace Pipeline.Dispatcher;

/// <summary>The VirtualMTAs this Dispatcher delivers for: Dispatcher:Serve, or by default every VirtualMTA whose
/// source IP is an address of this machine (a source IP lives on one machine, DESIGN.md).</summary>
public sealed class ServedVirtualMtas
{
    public IReadOnlyCollection<string> Names { get; }

    public ServedVirtualMtas(PipelineOptions options)
    {
        if (options.Dispatcher.Serve.Count > 0)
        {
            Names = options.Dispatcher.Serve.ToArray();
            return;
        }
        var local = NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .ToHashSet();
        Names = options.VirtualMtas
            .Where(v => IPAddress.TryParse(v.Value.SourceIp, out var ip) && (IPAddress.IsLoopback(ip) || local.Contains(ip)))
            .Select(v => v.Key)
            .ToArray();
    }
}
