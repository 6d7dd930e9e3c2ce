using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Text;
using Pipeline.Ingest.Smtp.Protocol;
using Pipeline.Ingest.Submission;
using Pipeline.Ingest.Suppression;

namespace Pipeline.Ingest.Smtp;

/// <summary>One SMTP connection, RFC 5321 with PIPELINING (RFC 2920), SIZE (1870), 8BITMIME (6152), SMTPUTF8
/// (6531), ENHANCEDSTATUSCODES (2034), CHUNKING (3030), STARTTLS (3207) and AUTH PLAIN/LOGIN (4954). Reads with
/// System.IO.Pipelines: every complete command in the buffer is answered before the replies are flushed together,
/// which is what makes pipelined clients fast.</summary>
public sealed partial class SmtpSession(SmtpSessionSettings settings, Stream network, IPEndPoint remote)
{
    /// <summary>RFC 5321 4.5.3.1.4 allows 512 octets per command line; extensions make lines longer, so some slack.</summary>
    public const int MaxCommandLine = 4096;
    /// <summary>Bad commands tolerated before the session is closed with 421.</summary>
    public const int MaxErrors = 20;
    /// <summary>Failed AUTH attempts tolerated before the session is closed with 421.</summary>
    public const int MaxAuthFailures = 3;

    private enum Mode { Command, Data, Chunk, AuthPlain, AuthLoginUser, AuthLoginPassword }

    private enum Next { Continue, StartTls, Close }

    private readonly ILogger _log = settings.Log;
    private readonly string _client = remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4().ToString() : remote.Address.ToString();
    private Stream _stream = network;
    private PipeReader _reader = null!;
    private PipeWriter _writer = null!;
    private Mode _mode;
    private bool _discardingLongLine;
    private int _errors;
    private int _authFailures;

    // Session state (reset by STARTTLS).
    private string? _helo;
    private bool _esmtp;
    private bool _secure;
    private string? _authenticatedUser;
    private string? _loginUser;

    // Transaction state (reset by RSET, HELO/EHLO, and the end of each message).
    private string? _mailFrom;
    private bool _smtpUtf8;
    private readonly List<string> _recipients = [];
    private int _droppedRecipients;
    private MessageBuffer? _message;
    private DotStuffedDecoder? _decoder;
    private long _chunkRemaining;
    private bool _chunkLast;
    private SmtpReply? _chunkError;
    private MessageBuffer? _chunkSink;
    private bool _chunking;

    public async Task RunAsync(CancellationToken stopping)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        NewPipes();
        try
        {
            Write($"220 {settings.ServerName} ESMTP Pipeline Ingest ready\r\n");
            await _writer.FlushAsync(stopping).ConfigureAwait(false);
            while (true)
            {
                ReadResult result;
                idle.CancelAfter(settings.IdleTimeout);
                try
                {
                    result = await _reader.ReadAsync(idle.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    if (stopping.IsCancellationRequested)
                    {
                        Reply(new SmtpReply(421, "4.3.2", $"{settings.ServerName} Service shutting down, closing connection"));
                    }
                    else
                    {
                        IngestLog.IdleTimeout(_log, _client, settings.IdleTimeout);
                        Reply(new SmtpReply(421, "4.4.2", $"{settings.ServerName} Idle timeout, closing connection"));
                    }
                    await _writer.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                    return;
                }
                if (!idle.TryReset()) return;

                var buffer = result.Buffer;
                var (consumed, next) = await ProcessAsync(buffer, stopping).ConfigureAwait(false);
                bool leftOver = !buffer.Slice(consumed).IsEmpty;
                _reader.AdvanceTo(consumed, buffer.End);
                await _writer.FlushAsync(stopping).ConfigureAwait(false);
                if (next == Next.Close) return;
                if (next == Next.StartTls)
                {
                    // RFC 3207 section 6 (CVE-2011-0411): anything pipelined after STARTTLS was sent in the clear
                    // and must not be taken as coming over TLS. It is thrown away with the old reader.
                    if (leftOver) IngestLog.PlaintextAfterStartTls(_log, _client);
                    if (!await StartTlsAsync(stopping).ConfigureAwait(false)) return;
                    continue;
                }
                if (result.IsCompleted) return;
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
        {
            IngestLog.SessionEnded(_log, _client, e.Message);
        }
        finally
        {
            await _reader.CompleteAsync().ConfigureAwait(false);
            await _writer.CompleteAsync().ConfigureAwait(false);
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void NewPipes()
    {
        _reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 8 * 1024, leaveOpen: true));
        _writer = PipeWriter.Create(_stream, new StreamPipeWriterOptions(leaveOpen: true));
    }

    private async Task<bool> StartTlsAsync(CancellationToken stopping)
    {
        await _reader.CompleteAsync().ConfigureAwait(false);
        await _writer.CompleteAsync().ConfigureAwait(false);
        var tls = new SslStream(_stream, leaveInnerStreamOpen: false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(settings.IdleTimeout);
        try
        {
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = settings.Tls.Certificate,
                ClientCertificateRequired = false,
            }, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
        {
            IngestLog.TlsFailed(_log, _client, e.Message);
            await tls.DisposeAsync().ConfigureAwait(false);
            _stream = Stream.Null;
            NewPipes();
            return false;
        }
        _stream = tls;
        NewPipes();
        // RFC 3207 section 4.2: the client starts over; what it said before TLS is forgotten.
        _secure = true;
        _helo = null;
        _esmtp = false;
        ResetTransaction();
        return true;
    }

    /// <summary>Handles every complete command (or data) in <paramref name="buffer"/>; returns how far it got.</summary>
    private async ValueTask<(SequencePosition Consumed, Next Next)> ProcessAsync(ReadOnlySequence<byte> buffer, CancellationToken stopping)
    {
        var position = buffer.Start;
        while (true)
        {
            var rest = buffer.Slice(position);
            if (rest.IsEmpty) return (position, Next.Continue);
            if (_mode == Mode.Data)
            {
                var (used, done) = DecodeData(rest);
                position = rest.GetPosition(used);
                if (!done) return (position, Next.Continue);
                _mode = Mode.Command;
                Reply(await EndOfMessageAsync(stopping).ConfigureAwait(false));
                continue;
            }
            if (_mode == Mode.Chunk)
            {
                long take = Math.Min(_chunkRemaining, rest.Length);
                foreach (var segment in rest.Slice(0, take)) _chunkSink!.Write(segment.Span);
                _chunkRemaining -= take;
                position = rest.GetPosition(take);
                if (_chunkRemaining > 0) return (position, Next.Continue);
                _mode = Mode.Command;
                Reply(await EndOfChunkAsync(stopping).ConfigureAwait(false));
                continue;
            }

            var lf = rest.PositionOf((byte)'\n');
            if (lf is null)
            {
                if (rest.Length <= MaxCommandLine) return (position, Next.Continue);
                // A line longer than any command: answer once, then skip to its end.
                if (!_discardingLongLine) Reply(new SmtpReply(500, "5.5.6", "Line too long"));
                _discardingLongLine = true;
                return (rest.End, Next.Continue);
            }
            var line = rest.Slice(0, lf.Value);
            position = rest.GetPosition(1, lf.Value);
            if (_discardingLongLine)
            {
                _discardingLongLine = false;
                continue;
            }
            if (line.Length > MaxCommandLine && _mode == Mode.Command)
            {
                Reply(new SmtpReply(500, "5.5.6", "Line too long"));
                continue;
            }
            var next = await LineAsync(line, stopping).ConfigureAwait(false);
            if (next != Next.Continue) return (position, next);
        }
    }

    private (long Used, bool Done) DecodeData(ReadOnlySequence<byte> data)
    {
        long used = 0;
        foreach (var segment in data)
        {
            bool done = _decoder!.Decode(segment.Span, out int consumed);
            used += consumed;
            if (done) return (used, true);
        }
        return (used, false);
    }

    private ValueTask<Next> LineAsync(ReadOnlySequence<byte> line, CancellationToken stopping)
    {
        var bytes = line.IsSingleSegment ? line.FirstSpan : line.ToArray();
        if (bytes.Length > 0 && bytes[^1] == '\r') bytes = bytes[..^1];
        if (_mode is Mode.AuthPlain or Mode.AuthLoginUser or Mode.AuthLoginPassword)
            return ValueTask.FromResult(AuthResponse(Encoding.ASCII.GetString(bytes)));
        return CommandAsync(SmtpCommandParser.Parse(bytes), stopping);
    }

    private async ValueTask<Next> CommandAsync(SmtpCommand command, CancellationToken stopping)
    {
        if (command.Invalid) return Error(new SmtpReply(500, "5.5.2", "Command line is not valid UTF-8"));
        switch (command.Verb)
        {
            case SmtpVerb.Ehlo:
            case SmtpVerb.Helo:
                return Hello(command);
            case SmtpVerb.Mail:
                return Mail(command.Argument);
            case SmtpVerb.Rcpt:
                return await RecipientAsync(command.Argument, stopping).ConfigureAwait(false);
            case SmtpVerb.Data:
                return Data(command.Argument);
            case SmtpVerb.Bdat:
                return Bdat(command.Argument);
            case SmtpVerb.Rset:
                ResetTransaction();
                return Ok(new SmtpReply(250, "2.0.0", "Ok"));
            case SmtpVerb.Noop:
                return Ok(new SmtpReply(250, "2.0.0", "Ok"));
            case SmtpVerb.Quit:
                Reply(new SmtpReply(221, "2.0.0", $"{settings.ServerName} closing connection"));
                return Next.Close;
            case SmtpVerb.Vrfy:
                return Ok(new SmtpReply(252, "2.5.2", "Cannot VRFY user, but will accept message and attempt delivery"));
            case SmtpVerb.Expn:
                return Error(new SmtpReply(502, "5.5.1", "EXPN is not supported"));
            case SmtpVerb.Help:
                return Ok(new SmtpReply(214, "2.0.0", "Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT STARTTLS AUTH (RFC 5321)"));
            case SmtpVerb.StartTls:
                return StartTls(command.Argument);
            case SmtpVerb.Auth:
                return Auth(command.Argument);
            default:
                return Error(new SmtpReply(500, "5.5.2", "Command not recognized"));
        }
    }

    private Next Hello(SmtpCommand command)
    {
        // The name is echoed in the reply and written into the Received header: no control characters.
        if (command.Argument.Length == 0 || command.Argument.Any(char.IsControl))
            return Error(new SmtpReply(501, "5.5.4", $"Syntax: {(command.Verb == SmtpVerb.Ehlo ? "EHLO" : "HELO")} hostname"));
        ResetTransaction();
        _helo = command.Argument;
        _esmtp = command.Verb == SmtpVerb.Ehlo;
        if (!_esmtp)
        {
            Write($"250 {settings.ServerName}\r\n");
            return Next.Continue;
        }
        var lines = new List<string>
        {
            $"{settings.ServerName} Hello {_helo} [{_client}]",
            "PIPELINING",
            $"SIZE {settings.MaxMessageBytes}",
            "8BITMIME",
            "SMTPUTF8",
            "ENHANCEDSTATUSCODES",
            "CHUNKING",
        };
        if (!_secure && settings.Tls.Certificate is not null) lines.Add("STARTTLS");
        if (AuthOffered) lines.Add("AUTH PLAIN LOGIN");
        _writer.Write(SmtpReply.MultiLine(250, lines));
        return Next.Continue;
    }

    private bool AuthOffered => settings.Users.Any && _authenticatedUser is null && (_secure || !settings.AuthRequiresTls);

    private Next Mail(string argument)
    {
        if (_helo is null) return Error(new SmtpReply(503, "5.5.1", "Send HELO or EHLO first"));
        if (_mailFrom is not null) return Error(new SmtpReply(503, "5.5.1", "Nested MAIL command: a transaction is already open"));
        if (!SmtpCommandParser.TryParsePath(argument, "FROM:", out var path))
            return Error(new SmtpReply(501, "5.5.4", "Syntax: MAIL FROM:<address> [parameters]"));
        if (!_esmtp && path.Parameters.Count > 0)
            return Error(new SmtpReply(555, "5.5.4", "MAIL parameters need EHLO"));
        bool utf8 = false;
        long? size = null;
        foreach (var (name, value) in path.Parameters)
        {
            switch (name.ToUpperInvariant())
            {
                case "SIZE" when long.TryParse(value, out var s) && s >= 0:
                    size = s;
                    break;
                case "BODY" when value is not null && (value.Equals("7BIT", StringComparison.OrdinalIgnoreCase) || value.Equals("8BITMIME", StringComparison.OrdinalIgnoreCase)):
                    break;
                case "SMTPUTF8" when value is null:
                    utf8 = true;
                    break;
                case "AUTH" when value is not null:
                    // RFC 4954 section 5: the original submitter; informational only.
                    break;
                case "SIZE" or "BODY" or "SMTPUTF8" or "AUTH":
                    return Error(new SmtpReply(501, "5.5.4", $"Bad value of MAIL parameter {name}"));
                default:
                    return Error(new SmtpReply(555, "5.5.4", $"MAIL parameter {name} is not supported"));
            }
        }
        var address = path.Address;
        if (address.Length > 0)
        {
            if (MailboxSyntax.IsNonAscii(address) && !utf8)
                return Error(new SmtpReply(553, "5.6.7", $"<{address}>: a non-ASCII address needs the SMTPUTF8 parameter"));
            if (!MailboxSyntax.IsValid(address, utf8))
            {
                IngestLog.BadAddress(_log, _client, "sender", address);
                return Error(new SmtpReply(501, "5.1.7", $"<{address}>: Bad sender address syntax"));
            }
        }
        if (size > settings.MaxMessageBytes)
        {
            IngestLog.MessageTooLarge(_log, _client, size.Value, settings.MaxMessageBytes);
            return Ok(new SmtpReply(552, "5.3.4", $"Message size exceeds fixed maximum message size of {settings.MaxMessageBytes} bytes"));
        }
        _mailFrom = address;
        _smtpUtf8 = utf8;
        return Ok(new SmtpReply(250, "2.1.0", $"Sender <{address}> ok"));
    }

    private async ValueTask<Next> RecipientAsync(string argument, CancellationToken stopping)
    {
        if (_mailFrom is null) return Error(new SmtpReply(503, "5.5.1", "Need MAIL before RCPT"));
        if (!SmtpCommandParser.TryParsePath(argument, "TO:", out var path))
            return Error(new SmtpReply(501, "5.5.4", "Syntax: RCPT TO:<address>"));
        if (path.Parameters.Count > 0)
            return Error(new SmtpReply(555, "5.5.4", $"RCPT parameter {path.Parameters.Keys.First()} is not supported"));
        var address = path.Address;
        if (MailboxSyntax.IsNonAscii(address) && !_smtpUtf8)
            return Error(new SmtpReply(553, "5.6.7", $"<{address}>: a non-ASCII address needs SMTPUTF8 in MAIL FROM"));
        if (!MailboxSyntax.IsValid(address, _smtpUtf8))
        {
            IngestLog.BadAddress(_log, _client, "recipient", address);
            return Error(new SmtpReply(501, "5.1.3", $"<{address}>: Bad recipient address syntax"));
        }
        var report = settings.Relay.IsReportAddress(address);
        if (!report && !settings.Relay.MayRelay(remote.Address, _authenticatedUser is not null))
        {
            IngestLog.RelayDenied(_log, _client, address);
            return Ok(new SmtpReply(550, "5.7.1", $"<{address}>: Relaying denied: {_client} may not relay without authentication"));
        }
        if (_recipients.Count + _droppedRecipients >= settings.MaxRecipients)
        {
            IngestLog.TooManyRecipients(_log, _client, settings.MaxRecipients);
            return Ok(new SmtpReply(452, "4.5.3", $"Too many recipients: at most {settings.MaxRecipients} per message"));
        }
        if (!report && settings.Suppressed != SuppressionMode.Off && await IsSuppressedAsync(address, stopping).ConfigureAwait(false))
        {
            IngestLog.Suppressed(_log, _client, _mailFrom, address, settings.Suppressed);
            if (settings.Suppressed == SuppressionMode.Refuse)
                return Ok(new SmtpReply(550, "5.7.1", $"<{address}>: Recipient is on the suppression list of {MailboxSyntax.DomainOf(_mailFrom)}"));
            _droppedRecipients++;
            return Ok(new SmtpReply(250, "2.1.5", $"Recipient <{address}> ok"));
        }
        _recipients.Add(address);
        return Ok(new SmtpReply(250, "2.1.5", $"Recipient <{address}> ok"));
    }

    private async ValueTask<bool> IsSuppressedAsync(string recipient, CancellationToken stopping)
    {
        try
        {
            return await settings.Suppression.IsSuppressedAsync(MailboxSyntax.DomainOf(_mailFrom!), recipient, stopping).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The list is a courtesy to the sender's reputation, not a reason to stop the mail flow: log (once a
            // minute, not at every RCPT) and go on.
            if (settings.ShouldReportSuppressionOutage()) IngestLog.SuppressionUnavailable(_log, e.Message);
            return false;
        }
    }

    private Next Data(string argument)
    {
        if (argument.Length > 0) return Error(new SmtpReply(501, "5.5.4", "Syntax: DATA (no parameters)"));
        if (_chunking) return Error(new SmtpReply(503, "5.5.1", "DATA cannot follow BDAT in one transaction"));
        if (_mailFrom is null) return Error(new SmtpReply(503, "5.5.1", "Need MAIL and RCPT before DATA"));
        if (_recipients.Count == 0 && _droppedRecipients == 0) return Error(new SmtpReply(554, "5.5.1", "No valid recipients"));
        _message = new MessageBuffer(settings.MaxMessageBytes);
        _decoder = new DotStuffedDecoder(_message);
        _mode = Mode.Data;
        Write("354 End data with <CR><LF>.<CR><LF>\r\n");
        return Next.Continue;
    }

    private Next Bdat(string argument)
    {
        var parts = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is 0 or > 2 || !long.TryParse(parts[0], out var size) || size < 0 ||
            (parts.Length == 2 && !parts[1].Equals("LAST", StringComparison.OrdinalIgnoreCase)))
        {
            // Without a valid size the chunk cannot be told apart from commands: the session cannot go on.
            Reply(new SmtpReply(501, "5.5.4", "Syntax: BDAT size [LAST]; closing connection"));
            return Next.Close;
        }
        _chunkLast = parts.Length == 2;
        _chunkRemaining = size;
        _chunkError = _mailFrom is null ? new SmtpReply(503, "5.5.1", "Need MAIL and RCPT before BDAT")
            : _recipients.Count == 0 && _droppedRecipients == 0 ? new SmtpReply(554, "5.5.1", "No valid recipients")
            : null;
        if (_chunkError is null && !_chunking)
        {
            _chunking = true;
            _message = new MessageBuffer(settings.MaxMessageBytes);
        }
        // A refused chunk is still read (RFC 3030 section 2: its octets follow the command whatever the reply).
        _chunkSink = _chunkError is null ? _message : new MessageBuffer(0);
        _mode = Mode.Chunk;
        return Next.Continue;
    }

    private async ValueTask<SmtpReply> EndOfChunkAsync(CancellationToken stopping)
    {
        if (_chunkError is { } error)
        {
            _errors++;
            return error;
        }
        if (!_chunkLast) return new SmtpReply(250, "2.0.0", $"{_message!.Received} octets received");
        return await EndOfMessageAsync(stopping).ConfigureAwait(false);
    }

    private async ValueTask<SmtpReply> EndOfMessageAsync(CancellationToken stopping)
    {
        var message = _message!;
        try
        {
            if (message.Overflowed)
            {
                IngestLog.MessageTooLarge(_log, _client, message.Received, settings.MaxMessageBytes);
                return new SmtpReply(552, "5.3.4", $"Message size exceeds fixed maximum message size of {settings.MaxMessageBytes} bytes");
            }
            if (message.Received == 0) return new SmtpReply(554, "5.6.0", "Message is empty");
            if (_recipients.Count == 0)
                return new SmtpReply(250, "2.0.0", "Ok: every recipient is suppressed, message dropped");
            var envelope = new Envelope(_mailFrom!, [.. _recipients], "smtp", _client)
            {
                ClientHelo = _helo,
                Protocol = Protocol,
            };
            var result = await settings.Submitter.SubmitAsync(envelope, message.Content, stopping).ConfigureAwait(false);
            return result.Status switch
            {
                SubmissionStatus.Accepted => new SmtpReply(250, "2.0.0", $"Ok: queued as {result.MessageId:N}"),
                SubmissionStatus.UnknownVirtualMta => Logged(new SmtpReply(550, "5.7.1", $"Unknown VirtualMTA or pool '{result.Detail}' in X-Virtual-MTA")),
                _ => new SmtpReply(451, "4.3.0", "Temporary failure: the message queue is unavailable, try again later"),
            };
        }
        finally
        {
            ResetTransaction();
        }

        SmtpReply Logged(SmtpReply reply)
        {
            IngestLog.UnknownVirtualMta(_log, reply.Text, _client);
            return reply;
        }
    }

    /// <summary>The "with" keyword of the Received header (RFC 3848, RFC 6531 section 3.7.3).</summary>
    private string Protocol => (_smtpUtf8 ? "UTF8SMTP" : _esmtp ? "ESMTP" : "SMTP") + (_secure ? "S" : "") + (_authenticatedUser is null ? "" : "A");

    private Next StartTls(string argument)
    {
        if (argument.Length > 0) return Error(new SmtpReply(501, "5.5.4", "Syntax: STARTTLS (no parameters)"));
        if (_secure) return Error(new SmtpReply(503, "5.5.1", "TLS is already active"));
        if (settings.Tls.Certificate is null) return Error(new SmtpReply(454, "4.7.0", "TLS not available"));
        Reply(new SmtpReply(220, "2.0.0", "Ready to start TLS"));
        return Next.StartTls;
    }

    private void ResetTransaction()
    {
        _mailFrom = null;
        _smtpUtf8 = false;
        _recipients.Clear();
        _droppedRecipients = 0;
        _message = null;
        _decoder = null;
        _chunking = false;
        _chunkError = null;
        _chunkSink = null;
    }

    private Next Ok(SmtpReply reply)
    {
        Reply(reply);
        return Next.Continue;
    }

    /// <summary>A refused command; too many of them end the session (a client that is lost or probing).</summary>
    private Next Error(SmtpReply reply)
    {
        Reply(reply);
        if (++_errors < MaxErrors) return Next.Continue;
        IngestLog.TooManyErrors(_log, _client, _errors);
        Reply(new SmtpReply(421, "4.7.0", $"{settings.ServerName} Too many errors, closing connection"));
        return Next.Close;
    }

    private void Reply(SmtpReply reply) => _writer.Write(reply.ToBytes());

    private void Write(string text) => _writer.Write(Encoding.UTF8.GetBytes(text));
}
