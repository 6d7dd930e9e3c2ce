using System.Text;
using Pipeline.Ingest.Smtp.Protocol;

namespace Pipeline.Ingest.Smtp;

/// <summary>AUTH (RFC 4954) with the PLAIN (RFC 4616) and LOGIN mechanisms, against Ingest:Smtp:Users. A successful
/// AUTH lets the client relay from anywhere; by default it is offered only on a TLS-protected session.</summary>
public sealed partial class SmtpSession
{
    private Next Auth(string argument)
    {
        if (!_esmtp) return Error(new SmtpReply(503, "5.5.1", "Send EHLO first"));
        if (_authenticatedUser is not null) return Error(new SmtpReply(503, "5.5.1", "Already authenticated"));
        if (_mailFrom is not null) return Error(new SmtpReply(503, "5.5.1", "AUTH is not allowed during a mail transaction"));
        if (!settings.Users.Any) return Error(new SmtpReply(502, "5.5.1", "AUTH is not available"));
        if (!_secure && settings.AuthRequiresTls)
            return Error(new SmtpReply(538, "5.7.11", "Encryption required for requested authentication mechanism: use STARTTLS first"));
        var parts = argument.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) return Error(new SmtpReply(501, "5.5.4", "Syntax: AUTH mechanism [initial-response]"));
        var initial = parts.Length == 2 ? parts[1] : null;
        switch (parts[0].ToUpperInvariant())
        {
            case "PLAIN":
                if (initial is not null) return AuthPlain(initial);
                _mode = Mode.AuthPlain;
                Write("334 \r\n");
                return Next.Continue;
            case "LOGIN":
                if (initial is not null) return AuthLoginUser(initial);
                _mode = Mode.AuthLoginUser;
                Write("334 VXNlcm5hbWU6\r\n"); // "Username:"
                return Next.Continue;
            default:
                return Error(new SmtpReply(504, "5.5.4", $"Unrecognized authentication mechanism {parts[0]}"));
        }
    }

    private Next AuthResponse(string line)
    {
        var mode = _mode;
        _mode = Mode.Command;
        if (line == "*") return Error(new SmtpReply(501, "5.0.0", "Authentication cancelled"));
        return mode switch
        {
            Mode.AuthPlain => AuthPlain(line),
            Mode.AuthLoginUser => AuthLoginUser(line),
            _ => AuthVerify(_loginUser ?? "", line),
        };
    }

    private Next AuthPlain(string response)
    {
        if (!TryBase64(response, out var decoded)) return Error(new SmtpReply(501, "5.5.2", "Cannot decode the response (base64)"));
        // RFC 4616: [authzid] NUL authcid NUL passwd.
        var fields = decoded.Split('\0');
        if (fields.Length != 3) return Error(new SmtpReply(501, "5.5.2", "PLAIN response is not authzid NUL user NUL password"));
        if (fields[0].Length > 0 && fields[0] != fields[1]) return AuthFailed(fields[1]);
        return AuthVerify(fields[1], Base64(fields[2]));
    }

    private Next AuthLoginUser(string response)
    {
        if (!TryBase64(response, out var user)) return Error(new SmtpReply(501, "5.5.2", "Cannot decode the response (base64)"));
        _loginUser = user;
        _mode = Mode.AuthLoginPassword;
        Write("334 UGFzc3dvcmQ6\r\n"); // "Password:"
        return Next.Continue;
    }

    private Next AuthVerify(string user, string passwordBase64)
    {
        _loginUser = null;
        if (!TryBase64(passwordBase64, out var password)) return Error(new SmtpReply(501, "5.5.2", "Cannot decode the response (base64)"));
        if (!settings.Users.Verify(user, password)) return AuthFailed(user);
        _authenticatedUser = user;
        IngestLog.Authenticated(_log, _client, user);
        return Ok(new SmtpReply(235, "2.7.0", "Authentication successful"));
    }

    private Next AuthFailed(string user)
    {
        IngestLog.AuthFailed(_log, _client, user);
        if (++_authFailures >= MaxAuthFailures)
        {
            Reply(new SmtpReply(421, "4.7.0", $"{settings.ServerName} Too many failed authentication attempts, closing connection"));
            return Next.Close;
        }
        return Error(new SmtpReply(535, "5.7.8", "Authentication credentials invalid"));
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static bool TryBase64(string text, out string decoded)
    {
        decoded = "";
        if (text == "=") return true; // RFC 4954 section 4: an empty initial response
        var bytes = new byte[text.Length];
        if (!Convert.TryFromBase64String(text, bytes, out int length)) return false;
        decoded = Encoding.UTF8.GetString(bytes, 0, length);
        return true;
    }
}
