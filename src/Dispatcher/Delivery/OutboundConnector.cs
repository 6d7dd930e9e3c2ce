using System.Net;
using System.Net.Sockets;
using MailKit.Net.Smtp;
using MailKit.Security;
using Pipeline.Contracts;
using Pipeline.Dispatcher.Routing;
using Pipeline.Shared.Configuration;
using Polly.CircuitBreaker;

namespace Pipeline.Dispatcher.Delivery;

/// <summary>Opens an <see cref="OutboundSession"/> to a destination domain from a VirtualMTA: the MX hosts in order of
/// preference and each of their addresses, over our own socket bound to the VirtualMTA's source IP, with its EHLO
/// name; STARTTLS when offered (UseStartTls) or always (RequireStartTls: a host without it is skipped, never used
/// in clear). Connection trouble moves on to the next address; a refusal at greeting or EHLO ends the attempt.</summary>
public sealed class OutboundConnector(NextHopResolver resolver, DomainPolicies policies, PipelineOptions options, MxHostHealth hosts,
    ILogger<OutboundConnector> log)
{
    private readonly int _timeoutMs = (int)DurationText.Parse(options.Dispatcher.SmtpTimeout).TotalMilliseconds;

    public async Task<(OutboundSession? Session, ConnectFailure? Failure)> OpenAsync(string virtualMta, string domain, CancellationToken cancellationToken)
    {
        var vmta = options.VirtualMtas[virtualMta];
        var resolution = await resolver.ResolveAsync(domain, cancellationToken).ConfigureAwait(false);
        if (resolution.Hosts.Count == 0)
        {
            return (null, resolution.PermanentFailure
                ? new ConnectFailure(DeliveryOutcome.Failed, 0, "5.1.2", resolution.Problem!, null, null)
                : new ConnectFailure(DeliveryOutcome.Deferred, 0, "4.4.3", resolution.Problem!, null, null));
        }

        var policy = policies.For(domain);
        var source = IPAddress.Parse(vmta.SourceIp);
        var security = policy.RequireStartTls ? SecureSocketOptions.StartTls
            : policy.UseStartTls ? SecureSocketOptions.StartTlsWhenAvailable
            : SecureSocketOptions.None;
        string lastProblem = "no host answered";
        string lastStatus = "4.4.1";
        foreach (var hop in resolution.Hosts)
        {
            foreach (var address in hop.Addresses.Where(a => a.AddressFamily == source.AddressFamily))
            {
                var client = new RecordingSmtpClient
                {
                    LocalDomain = vmta.HostName,
                    Timeout = _timeoutMs,
                    // Opportunistic TLS between MTAs authenticates nobody (RFC 7435): accept any certificate, encrypt anyway.
                    ServerCertificateValidationCallback = (_, _, _, _) => true,
                };
                var remoteIp = address.ToString();
                try
                {
                    var socket = await hosts.ConnectAsync($"{address}:{hop.Port}",
                        ct => ConnectSocketAsync(source, address, hop.Port, ct), cancellationToken).ConfigureAwait(false);
                    await client.ConnectAsync(socket, hop.Host, hop.Port, security, cancellationToken).ConfigureAwait(false);
                    return (new OutboundSession(client, hop, remoteIp), null);
                }
                catch (NotSupportedException e) when (policy.RequireStartTls)
                {
                    client.Dispose();
                    lastProblem = $"{hop.Host}[{remoteIp}]:{hop.Port}: TLS is required for {domain} but not offered ({e.Message})";
                    lastStatus = "4.7.10";
                    DispatcherLog.ConnectFailed(log, $"{hop.Host}[{remoteIp}]", hop.Port, virtualMta, lastProblem);
                }
                catch (Exception e) when (e is SocketException or IOException or TimeoutException or SmtpProtocolException
                                              or SslHandshakeException or BrokenCircuitException
                                              or OperationCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    client.Dispose();
                    lastProblem = $"{hop.Host}[{remoteIp}]:{hop.Port}: {e.Message}";
                    DispatcherLog.ConnectFailed(log, $"{hop.Host}[{remoteIp}]", hop.Port, virtualMta, e.Message);
                }
                catch (SmtpCommandException e)
                {
                    client.Dispose();
                    var code = (int)e.StatusCode;
                    return (null, new ConnectFailure(SmtpReplyText.OutcomeOf(code), code, SmtpReplyText.EnhancedStatus(code, e.Message), e.Message, hop.Host, remoteIp));
                }
            }
        }
        return (null, new ConnectFailure(DeliveryOutcome.Deferred, 0, lastStatus, $"No usable host for {domain}: {lastProblem}", null, null));
    }

    private async ValueTask<Socket> ConnectSocketAsync(IPAddress source, IPAddress destination, int port, CancellationToken cancellationToken)
    {
        var socket = new Socket(source.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(source, 0));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_timeoutMs);
            await socket.ConnectAsync(destination, port, timeout.Token).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
