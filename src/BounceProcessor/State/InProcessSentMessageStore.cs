using System.Collections.Concurrent;
using Pipeline.Shared.Verp;

namespace Pipeline.BounceProcessor.State;

/// <summary>Sent recipients of the standalone host, in its one process; entries older than the retention period
/// are dropped as new ones arrive.</summary>
public sealed class InProcessSentMessageStore(TimeProvider clock, TimeSpan retention) : ISentMessageStore
{
    private readonly ConcurrentDictionary<(Guid, string), (SentRecipient Recipient, DateTimeOffset At)> _recipients = new();
    private readonly ConcurrentDictionary<string, Guid> _headers = new(StringComparer.OrdinalIgnoreCase);

    public Task RecordAsync(SentRecipient recipient, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        _recipients[(recipient.MessageId, VerpAddress.RecipientTag(recipient.Recipient))] = (recipient, now);
        if (recipient.HeaderMessageId is { Length: > 0 } header) _headers[header.Trim('<', '>')] = recipient.MessageId;
        if (_recipients.Count % 1024 == 0)
        {
            foreach (var (key, value) in _recipients)
                if (now - value.At > retention && _recipients.TryRemove(key, out _) && value.Recipient.HeaderMessageId is { } old)
                    _headers.TryRemove(old.Trim('<', '>'), out _);
        }
        return Task.CompletedTask;
    }

    public Task<SentRecipient?> FindAsync(Guid messageId, string recipientOrTag, CancellationToken cancellationToken)
    {
        var tag = recipientOrTag.Contains('@') ? VerpAddress.RecipientTag(recipientOrTag) : recipientOrTag;
        return Task.FromResult(_recipients.TryGetValue((messageId, tag), out var found) ? found.Recipient : null);
    }

    public Task<Guid?> FindByHeaderMessageIdAsync(string headerMessageId, CancellationToken cancellationToken) =>
        Task.FromResult(_headers.TryGetValue(headerMessageId.Trim().Trim('<', '>'), out var id) ? id : (Guid?)null);
}
