using System.Net;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Polly.CircuitBreaker;
using Pipeline.Contracts;
using Pipeline.Dispatcher.Routing;
using Pipeline.Shared.Configuration;

namespace Pipeline.Dispatcher.Delivery;

/// <summary>One SMTP transaction per destination domain, from a VirtualMTA's source IP with its EHLO name.
/// Connection trouble moves on to the next MX host and, when none answers, defers every recipient; a reply
/// decides per recipient. This first version opens a connection per transaction; connection reuse, throttles and
/// backoff belong to the delivery-engine issue.</summary>
public sealed class SmtpDeliverer(NextHopResolver resolver, DomainPolicies policies, PipelineOptions options, MxHostHealth hosts, ILogger<SmtpDeliverer> log)
{
    private readonly int _timeoutMs = (int)DurationText.Parse(options.Dispatcher.SmtpTimeout).TotalMilliseconds;

    private static readonly FormatOptions Format = CreateFormat();

    public async Task<IReadOnlyList<RecipientResult>> DeliverAsync(MessageSigned message, string domain,
        IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        var vmta = options.VirtualMtas[message.VirtualMta];
        var resolution = await resolver.ResolveAsync(domain, cancellationToken).ConfigureAwait(false);
        if (resolution.Hosts.Count == 0)
        {
            return resolution.PermanentFailure
                ? All(recipients, DeliveryOutcome.Failed, 0, "5.1.2", resolution.Problem!, null, null)
                : All(recipients, DeliveryOutcome.Deferred, 0, "4.4.3", resolution.Problem!, null, null);
        }

        var policy = policies.For(domain);
        var source = IPAddress.Parse(vmta.SourceIp);
        string lastProblem = "no host answered";
        string lastStatus = "4.4.1";
        foreach (var hop in resolution.Hosts)
        {
            foreach (var address in hop.Addresses.Where(a => a.AddressFamily == source.AddressFamily))
            {
                using var client = new RecordingSmtpClient
                {
                    LocalDomain = vmta.HostName,
                    Timeout = _timeoutMs,
                    // Opportunistic TLS between MTAs authenticates nobody (RFC 7435): accept any certificate, encrypt anyway.
                    ServerCertificateValidationCallback = (_, _, _, _) => true,
                };
                var remoteIp = address.ToString();
                try
                {
                    // Our own socket: bound to the VirtualMTA's source IP, connected to an address our name servers gave.
                    var socket = await hosts.ConnectAsync($"{address}:{hop.Port}",
                        ct => ConnectAsync(source, address, hop.Port, ct), cancellationToken).ConfigureAwait(false);
                    var security = policy.RequireStartTls ? SecureSocketOptions.StartTls
                        : policy.UseStartTls ? SecureSocketOptions.StartTlsWhenAvailable
                        : SecureSocketOptions.None;
                    await client.ConnectAsync(socket, hop.Host, hop.Port, security, cancellationToken).ConfigureAwait(false);
                }
                catch (NotSupportedException e) when (policy.RequireStartTls)
                {
                    // RequireStartTls: this host does not offer STARTTLS, and the mail never goes in clear.
                    lastProblem = $"{hop.Host}[{remoteIp}]:{hop.Port}: TLS is required for {domain} but not offered ({e.Message})";
                    lastStatus = "4.7.10";
                    DispatcherLog.ConnectFailed(log, $"{hop.Host}[{remoteIp}]", hop.Port, message.VirtualMta, lastProblem);
                    continue;
                }
                catch (Exception e) when (e is SocketException or IOException or TimeoutException or SmtpProtocolException
                                              or SslHandshakeException or BrokenCircuitException
                                              or OperationCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    lastProblem = $"{hop.Host}[{remoteIp}]:{hop.Port}: {e.Message}";
                    DispatcherLog.ConnectFailed(log, $"{hop.Host}[{remoteIp}]", hop.Port, message.VirtualMta, e.Message);
                    continue;
                }
                catch (SmtpCommandException e)
                {
                    // The greeting or EHLO was refused: that host has spoken for the domain.
                    return All(recipients, SmtpReplyText.OutcomeOf((int)e.StatusCode), (int)e.StatusCode,
                        SmtpReplyText.EnhancedStatus((int)e.StatusCode, e.Message), e.Message, hop.Host, remoteIp);
                }
                return await TransactAsync(client, message, recipients, hop, remoteIp, cancellationToken).ConfigureAwait(false);
            }
        }
        return All(recipients, DeliveryOutcome.Deferred, 0, lastStatus, $"No usable host for {domain}: {lastProblem}", null, null);
    }

    private async Task<IReadOnlyList<RecipientResult>> TransactAsync(RecordingSmtpClient client, MessageSigned message,
        IReadOnlyList<string> recipients, NextHop hop, string? remoteIp, CancellationToken cancellationToken)
    {
        // Read before the transaction: the connection is closed by the time the results are made.
        var tls = client.IsSecure ? client.SslProtocol.ToString() : null;
        MimeMessage mime;
        using (var stream = new MemoryStream(message.Content, writable: false))
            mime = await MimeMessage.LoadAsync(stream, cancellationToken).ConfigureAwait(false);

        var sender = string.IsNullOrEmpty(message.MailFrom) ? new MailboxAddress("", "") : MailboxAddress.Parse(message.MailFrom);
        var rcpts = recipients.Select(MailboxAddress.Parse).ToList();
        string reply;
        try
        {
            reply = await client.SendAsync(Format, mime, sender, rcpts, cancellationToken).ConfigureAwait(false);
        }
        catch (SmtpCommandException e)
        {
            // MAIL FROM or DATA refused: the recipients not refused at RCPT share that reply. When every RCPT was
            // refused (MailKit then throws MessageNotAccepted), each recipient keeps its own RCPT reply.
            var code = (int)e.StatusCode;
            var refusedAtData = recipients.Where(r => !client.Refused.ContainsKey(r)).ToList();
            var results = All(refusedAtData, SmtpReplyText.OutcomeOf(code), code, SmtpReplyText.EnhancedStatus(code, e.Message), e.Message, hop.Host, remoteIp);
            return [.. results, .. recipients.Where(client.Refused.ContainsKey).Select(r => Refusal(r, client, hop, remoteIp))];
        }
        catch (Exception e) when (e is SmtpProtocolException or IOException or SocketException or OperationCanceledException
                                      && !cancellationToken.IsCancellationRequested)
        {
            // The connection broke mid-transaction: we cannot know whether the message arrived; try again later.
            return All(recipients, DeliveryOutcome.Deferred, 0, "4.4.2", $"{hop.Host}: connection lost: {e.Message}", hop.Host, remoteIp);
        }
        finally
        {
            if (client.IsConnected)
            {
                try { await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false); }
                catch (Exception e) when (e is SmtpProtocolException or IOException or SocketException or SmtpCommandException) { }
            }
        }
        var delivered = SmtpReplyText.EnhancedStatus(250, reply);
        return recipients.Select(r => client.Refused.ContainsKey(r)
            ? Refusal(r, client, hop, remoteIp)
            : new RecipientResult(r, DeliveryOutcome.Delivered, 250, delivered, reply, hop.Host, remoteIp, tls)).ToList();
    }

    private async ValueTask<Socket> ConnectAsync(IPAddress source, IPAddress destination, int port, CancellationToken cancellationToken)
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

    private static RecipientResult Refusal(string recipient, RecordingSmtpClient client, NextHop hop, string? remoteIp)
    {
        var response = client.Refused[recipient];
        var code = (int)response.StatusCode;
        return new RecipientResult(recipient, SmtpReplyText.OutcomeOf(code), code,
            SmtpReplyText.EnhancedStatus(code, response.Response), response.Response, hop.Host, remoteIp);
    }

    private static List<RecipientResult> All(IEnumerable<string> recipients, DeliveryOutcome outcome, int code,
        string status, string diagnostic, string? remoteMta, string? remoteIp) =>
        recipients.Select(r => new RecipientResult(r, outcome, code, status, diagnostic, remoteMta, remoteIp)).ToList();

    private static FormatOptions CreateFormat()
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        return format;
    }
}
