using Pipeline.Shared.Configuration;
using SmtpServer;

namespace Pipeline.Ingest.Smtp;

/// <summary>The SMTP submission listener (Ingest:Smtp:Listen, 2525 by default), on the SmtpServer library.</summary>
public sealed class SmtpListener(PipelineOptions options, PipelineMessageStore store, RelayMailboxFilter filter,
    ILogger<SmtpListener> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var smtp = options.Ingest.Smtp;
        HostPort.TryParseListen(smtp.Listen, out var endPoint);
        var serverOptions = new SmtpServerOptionsBuilder()
            .ServerName(smtp.ServerName is { Length: > 0 } name ? name : Environment.MachineName)
            .MaxMessageSize((int)smtp.MaxMessageBytes)
            .Endpoint(e => e.Endpoint(endPoint!).SessionTimeout(TimeSpan.FromMinutes(5)))
            .Build();

        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(store);
        services.Add(filter);
        var server = new SmtpServer.SmtpServer(serverOptions, services);
        IngestLog.SmtpListening(log, endPoint!.ToString());
        await server.StartAsync(stoppingToken).ConfigureAwait(false);
    }
}
