using Pipeline.Ingest.Security;
using Pipeline.Ingest.Submission;
using Pipeline.Ingest.Suppression;
using Pipeline.Shared.Configuration;

namespace Pipeline.Ingest.Smtp;

/// <summary>What every SMTP session shares: the settings of Ingest:Smtp, read once, and the services a session
/// calls (relay policy, users, suppression list, submitter, certificate).</summary>
public sealed class SmtpSessionSettings(PipelineOptions options, RelayPolicy relay, SmtpUsers users,
    ISuppressionList suppression, MessageSubmitter submitter, TlsCertificateSource tls, ILoggerFactory loggers)
{
    public string ServerName { get; } = options.Ingest.Smtp.ServerName is { Length: > 0 } n ? n : Environment.MachineName;
    public long MaxMessageBytes { get; } = options.Ingest.Smtp.MaxMessageBytes;
    public int MaxRecipients { get; } = options.Ingest.Smtp.MaxRecipients;
    public TimeSpan IdleTimeout { get; } = DurationText.Parse(options.Ingest.Smtp.IdleTimeout);
    public bool AuthRequiresTls { get; } = options.Ingest.Smtp.AuthRequiresTls;
    public SuppressionMode Suppressed { get; } = options.Ingest.Smtp.Suppressed switch
    {
        "drop" => SuppressionMode.Drop,
        "off" => SuppressionMode.Off,
        _ => SuppressionMode.Refuse,
    };

    public RelayPolicy Relay => relay;
    public SmtpUsers Users => users;
    public ISuppressionList Suppression => suppression;
    public MessageSubmitter Submitter => submitter;
    public TlsCertificateSource Tls => tls;
    public ILogger Log { get; } = loggers.CreateLogger<SmtpSession>();

    private long _lastSuppressionOutageReport = long.MinValue;

    /// <summary>True at most once a minute, across all sessions.</summary>
    public bool ShouldReportSuppressionOutage()
    {
        long now = Environment.TickCount64;
        long last = Interlocked.Read(ref _lastSuppressionOutageReport);
        // CompareExchange: of the sessions that see the minute has passed, exactly one reports.
        return now - last >= 60_000 && Interlocked.CompareExchange(ref _lastSuppressionOutageReport, now, last) == last;
    }
}
