using System.Net;
using System.Net.Sockets;

namespace Pipeline.TestSupport;

public static class FreePort
{
    /// <summary>A port the kernel just handed out on 127.0.0.1 and that nobody listens on now. Tests use these,
    /// never fixed ports: test projects run in parallel, and a developer's pipeline may hold 2525 or 2626.</summary>
    public static int Next()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
