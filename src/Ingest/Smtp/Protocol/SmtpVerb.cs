namespace Pipeline.Ingest.Smtp.Protocol;

/// <summary>The commands the listener knows (RFC 5321 4.1.1, RFC 3207 STARTTLS, RFC 4954 AUTH, RFC 3030 BDAT).</summary>
public enum SmtpVerb
{
    Unknown,
    Helo,
    Ehlo,
    Mail,
    Rcpt,
    Data,
    Bdat,
    Rset,
    Noop,
    Quit,
    Vrfy,
    Expn,
    Help,
    StartTls,
    Auth,
}
