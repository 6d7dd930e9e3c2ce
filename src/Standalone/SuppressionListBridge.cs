using BounceLists = Pipeline.BounceProcessor.State;
using IngestLists = Pipeline.Ingest.Suppression;

namespace Pipeline.Standalone;

/// <summary>In one process Ingest reads the suppression list the BounceProcessor keeps in memory, instead of Redis,
/// so the zero-setup host refuses suppressed recipients like a distributed pipeline does.</summary>
internal sealed class SuppressionListBridge(BounceLists.ISuppressionList list) : IngestLists.ISuppressionList
{
    public async ValueTask<bool> IsSuppressedAsync(string senderDomain, string recipient, CancellationToken cancellationToken) =>
        await list.FindAsync(senderDomain, recipient, cancellationToken).ConfigureAwait(false) is not null;
}
