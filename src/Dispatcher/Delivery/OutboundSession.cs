using System.Net.Sockets;
using MailKit.Net.Smtp;
using MimeKit;
using Pipeline.Contracts;
using Pipeline.Dispatcher.Routing;

namespace Pipeline.Dispatcher.Delivery;

/// <summary>An open SMTP connection from a VirtualMTA to one receiving host, greeted, EHLO said and TLS negotiated as
/// the domain requires. It carries one transaction after another (up to MaxMsgPerConnection, the caller's count)
/// until a transaction breaks it or it is disposed with QUIT.</summary>
public sealed class OutboundSession : IAsyncDisposable
{
    private static readonly FormatOptions Format = CreateFormat();
    private readonly RecordingSmtpClient _client;
    private bool _broken;

    internal OutboundSession(RecordingSmtpClient client, NextHop hop, string remoteIp)
    {
        _client = client;
        Hop = hop;
        RemoteIp = remoteIp;
        // Read now: once the connection is closed MailKit no longer reports it.
        TlsProtocol = client.IsSecure ? client.SslProtocol.ToString() : null;
    }

    public NextHop Hop { get; }
    public string RemoteIp { get; }
    /// <summary>Tls12, Tls13 ... or null when in clear.</summary>
    public string? TlsProtocol { get; }
    /// <summary>Transactions attempted on this connection.</summary>
    public int Transactions { get; private set; }
    /// <summary>False once the connection broke or was closed: open a new one.</summary>
    public bool IsUsable => !_broken && _client.IsConnected;

    /// <summary>One transaction: MAIL FROM, RCPT TO per recipient, DATA. Each recipient gets its own result.</summary>
    public async Task<IReadOnlyList<RecipientResult>> SendAsync(MessageSigned message, IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        Transactions++;
        _client.Refused.Clear();
        MimeMessage mime;
        using (var stream = new MemoryStream(message.Content, writable: false))
            mime = await MimeMessage.LoadAsync(stream, cancellationToken).ConfigureAwait(false);

        var sender = string.IsNullOrEmpty(message.MailFrom) ? new MailboxAddress("", "") : MailboxAddress.Parse(message.MailFrom);
        var rcpts = recipients.Select(MailboxAddress.Parse).ToList();
        string reply;
        try
        {
            reply = await _client.SendAsync(Format, mime, sender, rcpts, cancellationToken).ConfigureAwait(false);
        }
        catch (SmtpCommandException e)
        {
            // MAIL FROM or DATA refused: the recipients not refused at RCPT share that reply. When every RCPT was
            // refused (MailKit then throws MessageNotAccepted), each recipient keeps its own RCPT reply.
            // MailKit has reset the transaction; the connection stays usable unless the server closed it (421).
            var code = (int)e.StatusCode;
            var refusedAtData = recipients.Where(r => !_client.Refused.ContainsKey(r)).ToList();
            var results = All(refusedAtData, SmtpReplyText.OutcomeOf(code), code, SmtpReplyText.EnhancedStatus(code, e.Message), e.Message);
            if (code == 421) _broken = true;
            return [.. results, .. recipients.Where(_client.Refused.ContainsKey).Select(Refusal)];
        }
        catch (Exception e) when (e is SmtpProtocolException or IOException or SocketException or OperationCanceledException
                                      && !cancellationToken.IsCancellationRequested)
        {
            // The connection broke mid-transaction: we cannot know whether the message arrived; try again later.
            _broken = true;
            return All(recipients, DeliveryOutcome.Deferred, 0, "4.4.2", $"{Hop.Host}: connection lost: {e.Message}");
        }
        var delivered = SmtpReplyText.EnhancedStatus(250, reply);
        return recipients.Select(r => _client.Refused.ContainsKey(r)
            ? Refusal(r)
            : new RecipientResult(r, DeliveryOutcome.Delivered, 250, delivered, reply, Hop.Host, RemoteIp, TlsProtocol)).ToList();
    }

    private RecipientResult Refusal(string recipient)
    {
        var response = _client.Refused[recipient];
        var code = (int)response.StatusCode;
        return new RecipientResult(recipient, SmtpReplyText.OutcomeOf(code), code,
            SmtpReplyText.EnhancedStatus(code, response.Response), response.Response, Hop.Host, RemoteIp, TlsProtocol);
    }

    private List<RecipientResult> All(IEnumerable<string> recipients, DeliveryOutcome outcome, int code, string status, string diagnostic) =>
        recipients.Select(r => new RecipientResult(r, outcome, code, status, diagnostic, Hop.Host, RemoteIp, TlsProtocol)).ToList();

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            try
            {
                using var quit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _client.DisconnectAsync(quit: true, quit.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SmtpProtocolException or IOException or SocketException or SmtpCommandException or OperationCanceledException)
            {
                // QUIT is a courtesy; the socket closes either way.
            }
        }
        _client.Dispose();
    }

    private static FormatOptions CreateFormat()
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        return format;
    }
}
