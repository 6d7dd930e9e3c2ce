using Pipeline.Shared.Configuration;

namespace Pipeline.Signer.Dkim;

/// <summary>Checks the key files every Signer:KeyReloadInterval and puts changed keys in service without a restart
/// (a key rotation is: write the new file, publish its DNS record, and the Signer picks it up).</summary>
public sealed class DkimKeyReloader(DkimKeyStore store, PipelineOptions options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = DurationText.Parse(options.Signer.KeyReloadInterval);
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            store.ReloadChanged();
    }
}
