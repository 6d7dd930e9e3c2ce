using System.Net;
using SmtpServer;
using SmtpServer.Net;

namespace Pipeline.Ingest.Smtp;

internal static class SessionContextExtensions
{
    public static IPEndPoint? RemoteEndPoint(this ISessionContext context) =>
        context.Properties.TryGetValue(EndpointListener.RemoteEndPointKey, out var value) ? value as IPEndPoint : null;

    public static string ClientAddress(this ISessionContext context) =>
        context.RemoteEndPoint()?.Address.ToString() ?? "unknown";
}
