using System.Net;
using System.Net.Sockets;
using System.Text;
using Pipeline.Shared.Configuration;

namespace Pipeline.Ingest.Smtp;

/// <summary>The SMTP listener (Ingest:Smtp:Listen, 2525 by default): accepts connections, applies the
/// <see cref="ConnectionLimiter"/> (421 4.7.0 before the greeting) and runs one <see cref="SmtpSession"/> each.</summary>
public sealed class SmtpListener(PipelineOptions options, SmtpSessionSettings settings, ConnectionLimiter limiter,
    ILogger<SmtpListener> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        HostPort.TryParseListen(options.Ingest.Smtp.Listen, out var endPoint);
        using var listener = new Socket(endPoint!.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(endPoint);
        listener.Listen(512);
        IngestLog.SmtpListening(log, endPoint.ToString());
        while (!stoppingToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (SocketException e)
            {
                IngestLog.AcceptFailed(log, e.Message);
                continue;
            }
            _ = Task.Run(() => ServeAsync(socket, stoppingToken), CancellationToken.None);
        }
    }

    private async Task ServeAsync(Socket socket, CancellationToken stoppingToken)
    {
        socket.NoDelay = true;
        var remote = (IPEndPoint)socket.RemoteEndPoint!;
        var client = remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4() : remote.Address;
        var stream = new NetworkStream(socket, ownsSocket: true);
        var refusal = limiter.TryAdmit(client);
        if (refusal != ConnectionLimiter.Refusal.None)
        {
            await RefuseAsync(stream, client, refusal).ConfigureAwait(false);
            return;
        }
        try
        {
            await new SmtpSession(settings, stream, remote).RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // A session must never take the listener down; whatever escaped is logged with the client.
            IngestLog.SessionFailed(log, e, client.ToString());
        }
        finally
        {
            limiter.Release();
        }
    }

    /// <summary>RFC 5321 3.1: a server that will not serve a client may answer 421 instead of 220, then close.</summary>
    private async Task RefuseAsync(NetworkStream stream, IPAddress client, ConnectionLimiter.Refusal refusal)
    {
        await using (stream.ConfigureAwait(false))
        {
            string text;
            if (refusal == ConnectionLimiter.Refusal.TooManySessions)
            {
                IngestLog.TooManySessions(log, client.ToString(), options.Ingest.Smtp.MaxSessions);
                text = $"421 4.7.0 {settings.ServerName} Too many connections, try again later\r\n";
            }
            else
            {
                IngestLog.ConnectionRateExceeded(log, client.ToString(), options.Ingest.Smtp.MaxConnectionRatePerIp);
                text = $"421 4.7.0 {settings.ServerName} Too many connections from {client}, slow down\r\n";
            }
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await stream.WriteAsync(Encoding.ASCII.GetBytes(text), timeout.Token).ConfigureAwait(false);
                stream.Socket.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                // The client is gone already; nothing to tell it.
            }
        }
    }
}
