using System.Diagnostics;
using Pipeline.Contracts;

namespace Pipeline.Dispatcher.Spool;

/// <summary>The queue of one VirtualMTA: messages appended to memory-mapped segment files (<see cref="SpoolSegment"/>),
/// indexed in RAM (<see cref="SpoolIndex"/>), flushed in groups. <see cref="StoreAsync"/> returns once the message is
/// on the device, so the broker message can be acknowledged; every append made while a flush runs joins the next one,
/// so many concurrent stores cost one msync. Recipients become due only once their message is durable.</summary>
public sealed class Spool : IDeliveryQueue, IAsyncDisposable
{
    private readonly string _directory;
    private readonly SpoolSettings _settings;
    private readonly TimeProvider _clock;
    private readonly ILogger _log;
    private readonly Lock _lock = new();
    // Held while segments are msync'ed, and by compaction while it deletes one: never unmap a segment being flushed.
    private readonly Lock _flushGate = new();
    private readonly SortedList<int, SpoolSegment> _segments = [];
    private readonly SpoolIndex _index = new();
    private SpoolSegment _active = null!;

    private TaskCompletionSource _group = NewGroup();
    // Set when the open group reaches FlushBatch records: the flusher stops waiting out FlushInterval.
    private readonly ManualResetEventSlim _groupFull = new();
    private int _groupRecords;
    private bool _groupSignaled;
    private List<(int Slot, Guid Id)> _groupStored = [];
    private readonly HashSet<SpoolSegment> _dirty = [];
    private readonly SemaphoreSlim _flushWanted = new(0);
    private readonly SemaphoreSlim _workArrived = new(0, 1);
    private readonly CancellationTokenSource _stopping = new();
    private Task _flusher = Task.CompletedTask;
    private Exception? _failure;
    private readonly List<int> _taken = [];

    public string VirtualMta { get; }
    public RecoveryReport Recovery { get; private set; } = new();
    /// <summary>Flushes done so far and records they covered: the group-commit ratio.</summary>
    public long Flushes { get; private set; }
    public long FlushedRecords { get; private set; }

    private Spool(string directory, string virtualMta, SpoolSettings settings, TimeProvider clock, ILogger log)
    {
        _directory = directory;
        VirtualMta = virtualMta;
        _settings = settings;
        _clock = clock;
        _log = log;
    }

    /// <summary>Opens (creating if needed) the spool in <paramref name="directory"/>: scans every segment, checks
    /// each record's CRC, rebuilds the index, and starts a fresh segment for new records.</summary>
    public static Spool Open(string directory, string virtualMta, SpoolSettings settings, TimeProvider clock, ILogger log)
    {
        Directory.CreateDirectory(directory);
        var spool = new Spool(directory, virtualMta, settings, clock, log);
        spool.Recover();
        spool.StartFlusher();
        return spool;
    }

    public int MessageCount { get { lock (_lock) return _index.MessageCount; } }

    public long RecipientCount { get { lock (_lock) return _index.LiveRecipients; } }

    /// <summary>Jobs (X-Job) the index knows now: those of live messages and the paused ones.</summary>
    public int JobCount { get { lock (_lock) return _index.JobCount; } }

    public IReadOnlyList<int> SegmentNumbers { get { lock (_lock) return [.. _segments.Keys]; } }

    /// <summary>Bytes the segment files take on disk (each is created at its full size).</summary>
    public long SegmentBytes { get { lock (_lock) return _segments.Values.Sum(s => s.Capacity); } }

    /// <summary>Appends the message and returns once it is on the device. Idempotent on the message id: a message the
    /// broker delivers again (its ack was lost) is not stored twice.</summary>
    public Task StoreAsync(MessageSigned message, CancellationToken cancellationToken) => StoreAsync(message, null, cancellationToken);

    /// <summary>As <see cref="StoreAsync(MessageSigned, CancellationToken)"/>, keeping the W3C traceparent of the consume
    /// that stored it: delivery happens later, outside that consume, and continues the message's trace from it.</summary>
    public async Task StoreAsync(MessageSigned message, string? traceParent, CancellationToken cancellationToken)
    {
        if (!string.Equals(message.VirtualMta, VirtualMta, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"message {message.MessageId} is for VirtualMTA {message.VirtualMta}, this spool is {VirtualMta}", nameof(message));
        var length = SpoolRecordCodec.MessageStoredLength(message, traceParent);
        var now = _clock.GetUtcNow().UtcTicks;
        var statuses = new RecipientStatus[message.Recipients.Count];
        Array.Fill(statuses, new RecipientStatus(RecipientState.Queued, 0, now));
        Task commit;
        lock (_lock)
        {
            ThrowIfFailed();
            if (!_index.TryFind(message.MessageId, out _))
            {
                var address = AppendLocked(SpoolRecordType.MessageStored, length, (message, statuses, traceParent),
                    static (span, s) => SpoolRecordCodec.WriteMessageStored(span, s.message, s.statuses, 0L, s.traceParent));
                var slot = _index.AddMessage(message.MessageId, address, message.AcceptedAt.UtcTicks, length, message.Recipients.Count,
                    _index.JobOf(message.JobId));
                for (int i = 0; i < message.Recipients.Count; i++)
                    _index.SetRecipient(slot, i, _index.DomainOf(DomainOf(message.Recipients[i])), statuses[i]);
                // Due only once durable (the flusher schedules it): a delivery made before the flush could be repeated after a crash.
                _groupStored.Add((slot, message.MessageId));
            }
            // A message already appended (the broker delivered it again) waits for a flush too, so that its ack also
            // follows durability.
            commit = CommitLocked();
        }
        await commit.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public DateTimeOffset? NextDueAt
    {
        get
        {
            lock (_lock) return _index.NextDueTicks is { } ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
        }
    }

    public async Task WaitForWorkAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (timeout <= TimeSpan.Zero) return;
        await _workArrived.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
    }

    private void SignalWork()
    {
        // At most one pending signal: the scheduler looks at the whole index when it wakes.
        try { if (_workArrived.CurrentCount == 0) _workArrived.Release(); }
        catch (SemaphoreFullException) { }
    }

    public IReadOnlyList<DueDelivery> TakeDue(int maxRecipients, Func<string, bool>? acceptDomain = null)
    {
        var now = _clock.GetUtcNow().UtcTicks;
        lock (_lock)
        {
            _taken.Clear();
            if (_index.TakeDue(now, maxRecipients, _taken, acceptDomain) == 0) return [];
            return GroupTakenLocked();
        }
    }

    /// <summary>Every waiting recipient of a domain and/or a job (null: any), held or not, taken out of the queue for
    /// an operator's delete: in flight until their outcomes are completed, like work from <see cref="TakeDue"/>.</summary>
    public IReadOnlyList<DueDelivery> TakeWhere(string? domain, string? jobId)
    {
        lock (_lock)
        {
            _taken.Clear();
            if (_index.TakeWhere(domain, jobId, _taken) == 0) return [];
            return GroupTakenLocked();
        }
    }

    /// <summary>The taken recipients as work: per message and domain, the message read from its record.</summary>
    private List<DueDelivery> GroupTakenLocked()
    {
        var messages = new Dictionary<int, (MessageSigned Message, string? TraceParent)>();
        var groups = new Dictionary<(int Message, int Domain), List<DueRecipient>>();
        foreach (var handle in _taken)
        {
            var r = _index.Recipient(handle);
            var slot = r.Message - 1;
            ref readonly var m = ref _index.Message(slot);
            if (!messages.TryGetValue(slot, out var message))
                messages[slot] = message = (ReadLocked(m.Address, out _, out _, out var traceParent), traceParent);
            var address = message.Message.Recipients[handle - m.FirstRecipient];
            if (!groups.TryGetValue((slot, r.Domain), out var list)) groups[(slot, r.Domain)] = list = [];
            list.Add(new DueRecipient(address, handle, r.Attempts));
        }
        return groups.Select(g => new DueDelivery(messages[g.Key.Message].Message with { Recipients = g.Value.Select(r => r.Address).ToArray() },
            _index.DomainName(g.Key.Domain), g.Value) { TraceParent = messages[g.Key.Message].TraceParent }).ToList();
    }

    /// <summary>Pauses or resumes the whole spool (a paused VirtualMTA).</summary>
    public void HoldAll(bool held)
    {
        lock (_lock) _index.HoldAll(held);
        if (!held) SignalWork();
    }

    /// <summary>Pauses a destination domain's queue; false when it already was.</summary>
    public bool HoldDomain(string domain)
    {
        lock (_lock) return _index.HoldDomain(domain);
    }

    /// <summary>Resumes a domain's queue: its due recipients are taken at once. False when it was not paused.</summary>
    public bool ReleaseDomain(string domain)
    {
        bool released;
        lock (_lock) released = _index.ReleaseDomain(domain);
        if (released) SignalWork();
        return released;
    }

    /// <summary>Pauses a job (X-Job) in this spool; false when it already was.</summary>
    public bool HoldJob(string jobId)
    {
        lock (_lock) return _index.HoldJob(jobId);
    }

    /// <summary>Resumes a job: its recipients are due again at once. False when it was not paused.</summary>
    public bool ReleaseJob(string jobId)
    {
        int released;
        lock (_lock) released = _index.ReleaseJob(jobId);
        if (released >= 0) SignalWork();
        return released >= 0;
    }

    /// <summary>Makes the recipients of a domain (null: all) that wait for a later attempt due now; with
    /// <paramref name="onlyUntried"/> only those never attempted (waiting for a rate, not a retry). Returns how many.</summary>
    public int RetryNow(string? domain, bool onlyUntried = false)
    {
        var now = _clock.GetUtcNow().UtcTicks;
        int moved;
        lock (_lock) moved = _index.RetryNow(domain, now, onlyUntried);
        if (moved > 0) SignalWork();
        return moved;
    }

    /// <summary>A stored message's envelope and each recipient's place in the queue, or null when the spool does not
    /// hold it (never did, or every recipient has ended).</summary>
    public SpooledMessage? Describe(Guid messageId)
    {
        var now = _clock.GetUtcNow().UtcTicks;
        lock (_lock)
        {
            if (!_index.TryFind(messageId, out var slot)) return null;
            ref readonly var m = ref _index.Message(slot);
            var message = ReadLocked(m.Address, out _, out _, out _);
            var recipients = new List<SpooledRecipient>(m.RecipientCount);
            var jobHeld = _index.IsJobHeld(message.JobId);
            for (int i = 0; i < m.RecipientCount; i++)
            {
                var r = _index.Recipient(m.FirstRecipient + i);
                var domain = _index.DomainName(r.Domain);
                var state = r.IsFinal ? r.State.ToString().ToLowerInvariant()
                    : r.InFlight ? "in-flight"
                    : r.NextAttemptTicks <= now ? "queued" : "deferred";
                var paused = !r.IsFinal && !r.InFlight && (_index.IsAllHeld || _index.IsDomainHeld(domain) || jobHeld);
                recipients.Add(new SpooledRecipient(message.Recipients[i], domain, state, paused, r.Attempts,
                    r.IsFinal ? null : new DateTimeOffset(r.NextAttemptTicks, TimeSpan.Zero)));
            }
            return new SpooledMessage(message.MessageId, VirtualMta, message.MailFrom, message.JobId, message.HeaderMessageId,
                message.AcceptedAt, recipients);
        }
    }

    public async Task CompleteAsync(IReadOnlyList<RecipientCompletion> completions, CancellationToken cancellationToken)
    {
        Task commit;
        bool deferred = false;
        lock (_lock)
        {
            ThrowIfFailed();
            foreach (var c in completions)
            {
                // Only a recipient handed out by TakeDue and not yet reported can be completed: a second report of
                // the same attempt must not count it twice.
                if (!_index.Recipient(c.Handle).InFlight) continue;
                var slot = _index.Recipient(c.Handle).Message - 1;
                var m = _index.Message(slot);
                var index = (ushort)(c.Handle - m.FirstRecipient);
                AppendLocked(SpoolRecordType.RecipientChanged, SpoolRecordCodec.RecipientChangedLength, (m.Address, index, c.Status),
                    static (span, s) => SpoolRecordCodec.WriteRecipientChanged(span, s.Address, s.index, s.Status));
                _index.Touch(slot, _active.Number);
                deferred |= !c.Status.IsFinal;
                if (_index.Complete(c.Handle, c.Status, out _))
                {
                    AppendLocked(SpoolRecordType.MessageRemoved, SpoolRecordCodec.MessageRemovedLength, m.Address,
                        static (span, address) => SpoolRecordCodec.WriteMessageRemoved(span, address));
                    _index.RemoveMessage(slot);
                }
            }
            commit = CommitLocked();
        }
        if (deferred) SignalWork();
        await commit.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Counts per destination domain, for the status API.</summary>
    public IReadOnlyList<DomainQueueCounts> Inspect()
    {
        var now = _clock.GetUtcNow().UtcTicks;
        lock (_lock) return _index.Counts(now);
    }

    /// <summary>Reads a stored message back, with each recipient's status as the index has it (tests, tools).</summary>
    public MessageSigned? Find(Guid messageId)
    {
        lock (_lock)
            return _index.TryFind(messageId, out var slot) ? ReadLocked(_index.Message(slot).Address, out _, out _, out _) : null;
    }

    /// <summary>Frees disk: rewrites the live messages of mostly-dead segments at the tail (each copy naming the
    /// record it supersedes), flushes, then deletes every segment that no live message has a record in.</summary>
    public async Task CompactAsync(CancellationToken cancellationToken)
    {
        Task? commit = null;
        int rewritten = 0;
        lock (_lock)
        {
            ThrowIfFailed();
            var live = LiveBytesPerSegment();
            var toRewrite = new List<int>();
            foreach (var slot in _index.LiveMessages())
            {
                var segment = SpoolAddress.Segment(_index.Message(slot).Address);
                if (segment == _active.Number || !_segments.TryGetValue(segment, out var s)) continue;
                if (live.GetValueOrDefault(segment) < (s.Tail - SpoolSegment.HeaderSize) * _settings.RewriteBelowLiveFraction) toRewrite.Add(slot);
            }
            foreach (var slot in toRewrite) RewriteLocked(slot);
            rewritten = toRewrite.Count;
            if (rewritten > 0) commit = CommitLocked();
        }
        if (commit is not null) await commit.WaitAsync(cancellationToken).ConfigureAwait(false);

        var deleted = new List<string>();
        lock (_flushGate)
        lock (_lock)
        {
            var covered = CoveredSegments();
            foreach (var segment in _segments.Values.ToList())
            {
                if (segment == _active || covered.Contains(segment.Number) || _dirty.Contains(segment)) continue;
                _segments.Remove(segment.Number);
                segment.Dispose();
                File.Delete(segment.Path);
                deleted.Add(Path.GetFileName(segment.Path));
            }
        }
        if (deleted.Count > 0) SpoolSegment.SyncDirectory(_directory);
        if (rewritten > 0 || deleted.Count > 0) DispatcherLog.SpoolCompacted(_log, VirtualMta, rewritten, deleted.Count);
    }

    private Dictionary<int, long> LiveBytesPerSegment()
    {
        var live = new Dictionary<int, long>();
        foreach (var slot in _index.LiveMessages())
        {
            ref readonly var m = ref _index.Message(slot);
            var segment = SpoolAddress.Segment(m.Address);
            live[segment] = live.GetValueOrDefault(segment) + m.RecordLength + SpoolSegment.RecordHeaderSize;
        }
        return live;
    }

    /// <summary>Segments holding a record some live message still needs: from its MessageStored record's segment to the
    /// last one with a record about it.</summary>
    private HashSet<int> CoveredSegments()
    {
        var numbers = _segments.Keys;
        var coverage = new int[numbers.Count + 1];
        foreach (var slot in _index.LiveMessages())
        {
            ref readonly var m = ref _index.Message(slot);
            var from = LowerBound(numbers, SpoolAddress.Segment(m.Address));
            var to = LowerBound(numbers, m.LastSegment + 1);
            coverage[from]++;
            coverage[to]--;
        }
        var covered = new HashSet<int>();
        int running = 0;
        for (int i = 0; i < numbers.Count; i++)
        {
            running += coverage[i];
            if (running > 0) covered.Add(numbers[i]);
        }
        return covered;

        static int LowerBound(IList<int> sorted, int value)
        {
            int lo = 0, hi = sorted.Count;
            while (lo < hi)
            {
                var mid = (lo + hi) / 2;
                if (sorted[mid] < value) lo = mid + 1; else hi = mid;
            }
            return lo;
        }
    }

    private void RewriteLocked(int slot)
    {
        var old = _index.Message(slot);
        var message = ReadLocked(old.Address, out _, out _, out var traceParent);
        var statuses = new RecipientStatus[old.RecipientCount];
        for (int i = 0; i < statuses.Length; i++)
        {
            var r = _index.Recipient(old.FirstRecipient + i);
            statuses[i] = new RecipientStatus(r.State, r.Attempts, r.NextAttemptTicks);
        }
        var length = SpoolRecordCodec.MessageStoredLength(message, traceParent);
        var address = AppendLocked(SpoolRecordType.MessageStored, length, (message, statuses, old.Address, traceParent),
            static (span, s) => SpoolRecordCodec.WriteMessageStored(span, s.message, s.statuses, s.Address, s.traceParent));
        _index.Move(slot, address, length);
    }

    private MessageSigned ReadLocked(long address, out RecipientStatus[] statuses, out long supersedes, out string? traceParent)
    {
        var payload = _segments[SpoolAddress.Segment(address)].Payload(SpoolAddress.Offset(address), out var type);
        if (type != SpoolRecordType.MessageStored) throw new InvalidDataException($"record {SpoolAddress.Format(address)} is {type}, not MessageStored");
        return SpoolRecordCodec.ReadMessageStored(payload, out statuses, out supersedes, out traceParent);
    }

    private long AppendLocked<TState>(SpoolRecordType type, int length, TState state, SpanWriter<TState> write)
    {
        if (!_active.TryAppend(type, length, state, write, out var offset))
        {
            _active = CreateSegmentLocked(SpoolSegment.HeaderSize + SpoolSegment.RecordSize(length));
            if (!_active.TryAppend(type, length, state, write, out offset))
                throw new InvalidOperationException($"a record of {length} bytes does not fit a new segment");
        }
        _dirty.Add(_active);
        _groupRecords++;
        return SpoolAddress.Of(_active.Number, offset);
    }

    private SpoolSegment CreateSegmentLocked(long atLeast)
    {
        var number = _segments.Count == 0 ? 1 : _segments.Keys[^1] + 1;
        var segment = SpoolSegment.Create(_directory, number, Math.Max(_settings.SegmentSize, atLeast));
        _segments.Add(number, segment);
        return segment;
    }

    /// <summary>The task of the group the records just appended belong to; wakes the flusher for a new group.</summary>
    private Task CommitLocked()
    {
        if (!_groupSignaled)
        {
            // One wake-up per group; a barrier with no record of its own (a duplicate store) still needs its flush.
            _groupSignaled = true;
            _flushWanted.Release();
        }
        if (_groupRecords >= _settings.FlushBatch) _groupFull.Set();
        return _group.Task;
    }

    /// <summary>The flusher gets a thread of its own: it blocks in pwrite and fdatasync, and on a thread-pool thread
    /// that would take one of the few threads (two on two cores) that run the stores' continuations meanwhile.</summary>
    private void StartFlusher()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _flusher = done.Task;
        new Thread(() =>
        {
            try
            {
                FlushLoop();
                done.TrySetResult();
            }
            catch (Exception e)
            {
                done.TrySetException(e);
            }
        }) { IsBackground = true, Name = $"spool-flush-{VirtualMta}" }.Start();
    }

    private void FlushLoop()
    {
        var token = _stopping.Token;
        while (true)
        {
            try { _flushWanted.Wait(token); }
            catch (OperationCanceledException) { break; }
            // Wait for more appends to join, unless the group is already full.
            if (_settings.FlushInterval > TimeSpan.Zero)
            {
                try { _groupFull.Wait(_settings.FlushInterval, token); }
                catch (OperationCanceledException) { }
            }
            FlushGroup();
        }
        FlushGroup();
    }

    private void FlushGroup()
    {
        TaskCompletionSource group;
        SpoolSegment[] dirty;
        int records;
        List<(int Slot, Guid Id)> stored;
        lock (_flushGate)
        {
            lock (_lock)
            {
                group = _group;
                records = _groupRecords;
                _group = NewGroup();
                _groupFull.Reset();
                _groupRecords = 0;
                _groupSignaled = false;
                stored = _groupStored;
                _groupStored = [];
                dirty = [.. _dirty];
                _dirty.Clear();
            }
            try
            {
                foreach (var segment in dirty) segment.Flush();
            }
            catch (Exception e)
            {
                // The device refused a write: nothing more can be acknowledged. Stores fail; the broker keeps their messages.
                lock (_lock) _failure = e;
                DispatcherLog.SpoolFlushFailed(_log, VirtualMta, e.Message);
                group.TrySetException(e);
                return;
            }
        }
        if (stored.Count > 0)
        {
            lock (_lock)
            {
                foreach (var (slot, id) in stored)
                    if (_index.TryFind(id, out var still) && still == slot) _index.Schedule(slot);
            }
            SignalWork();
        }
        if (records > 0)
        {
            Flushes++;
            FlushedRecords += records;
        }
        group.TrySetResult();
    }

    /// <summary>Why the spool stopped taking messages (its device refused a write), or null while it works.</summary>
    public string? FailureReason { get { lock (_lock) return _failure?.Message; } }

    private void ThrowIfFailed()
    {
        if (_failure is not null) throw new IOException($"spool {VirtualMta} cannot write to its device: {_failure.Message}", _failure);
    }

    private static TaskCompletionSource NewGroup() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static string DomainOf(string address) => address[(address.LastIndexOf('@') + 1)..];

    private void Recover()
    {
        var clock = Stopwatch.StartNew();
        var files = Directory.EnumerateFiles(_directory, "spool-*.seg").Order(StringComparer.Ordinal).ToList();
        var corruptSegments = new List<string>();
        for (int i = 0; i < files.Count; i++)
        {
            var segment = SpoolSegment.Open(files[i], out var problem);
            if (segment is not null && !_segments.ContainsKey(segment.Number))
            {
                _segments.Add(segment.Number, segment);
                continue;
            }
            segment?.Dispose();
            problem ??= "its segment number repeats another file's";
            if (i == files.Count - 1 && new FileInfo(files[i]).Length <= SpoolSegment.HeaderSize)
            {
                // Cut while being created (before its header reached the disk): it never held a record.
                File.Delete(files[i]);
                continue;
            }
            DispatcherLog.SpoolSegmentCorrupt(_log, VirtualMta, files[i], problem);
            File.Move(files[i], files[i] + ".corrupt", overwrite: true);
            corruptSegments.Add(files[i]);
        }

        var byAddress = new Dictionary<long, int>();
        long records = 0;
        int corrupt = 0, unreadable = 0;
        bool torn = false;
        foreach (var segment in _segments.Values)
        {
            var scan = segment.Scan((seg, offset, type, payload) =>
            {
                var address = SpoolAddress.Of(seg.Number, offset);
                try
                {
                    Replay(address, seg.Number, type, payload, byAddress);
                }
                catch (InvalidDataException e)
                {
                    unreadable++;
                    DispatcherLog.SpoolRecordUnreadable(_log, VirtualMta, seg.Path, offset, e.Message);
                }
            });
            records += scan.Records;
            if (scan.CorruptRecords > 0)
            {
                corrupt += scan.CorruptRecords;
                DispatcherLog.SpoolRecordsCorrupt(_log, VirtualMta, segment.Path, scan.CorruptRecords, scan.CorruptBytes, scan.FirstCorruptOffset ?? 0);
            }
            if (scan.TornTailBytes > 0)
            {
                torn = true;
                // Only the last segment is written after this; earlier ones are sealed and keep their bytes.
                if (segment == _segments.Values[^1]) segment.ClearAfterTail();
            }
        }
        // All recipients final but the MessageRemoved record lost with a torn tail: nothing left to do for it.
        foreach (var slot in _index.LiveMessages().ToList())
            if (_index.Message(slot).Pending == 0) _index.RemoveMessage(slot);
        _index.ScheduleAll();
        // New records go to a fresh segment: the last one may have ended torn, and sealed segments are never written again.
        _active = CreateSegmentLocked(0);
        Recovery = new RecoveryReport
        {
            Segments = _segments.Count - 1,
            Records = records,
            Messages = _index.MessageCount,
            Recipients = _index.LiveRecipients,
            CorruptRecords = corrupt,
            UnreadableRecords = unreadable,
            CorruptSegments = corruptSegments,
            TornTail = torn,
            Elapsed = clock.Elapsed,
        };
        DispatcherLog.SpoolRecovered(_log, VirtualMta, Recovery.Segments, records, Recovery.Messages, Recovery.Recipients, corrupt + unreadable, torn, clock.Elapsed.TotalMilliseconds);
    }

    private void Replay(long address, int segment, SpoolRecordType type, ReadOnlySpan<byte> payload, Dictionary<long, int> byAddress)
    {
        switch (type)
        {
            case SpoolRecordType.MessageStored:
            {
                var reader = new StoredMessageReader(payload);
                if (reader.Supersedes != 0 && byAddress.Remove(reader.Supersedes, out var previous)) _index.RemoveMessage(previous);
                if (_index.TryFind(reader.MessageId, out _)) return; // stored twice: the first copy stands
                var count = reader.SkipToRecipients(out var jobId);
                if (count == 0) throw new InvalidDataException("a stored message without recipients");
                var slot = _index.AddMessage(reader.MessageId, address, reader.AcceptedAtTicks, payload.Length, count, _index.JobOf(jobId));
                try
                {
                    for (int i = 0; i < count; i++)
                    {
                        var status = reader.Recipient(out var recipient);
                        _index.SetRecipient(slot, i, _index.DomainOf(recipient), status);
                    }
                }
                catch
                {
                    _index.RemoveMessage(slot);
                    throw;
                }
                byAddress[address] = slot;
                return;
            }
            case SpoolRecordType.RecipientChanged:
            {
                SpoolRecordCodec.ReadRecipientChanged(payload, out var message, out var index, out var status);
                // A message superseded by a compaction copy, or removed, no longer takes changes under its old address.
                if (byAddress.TryGetValue(message, out var slot)) _index.Apply(slot, index, status, segment);
                return;
            }
            case SpoolRecordType.MessageRemoved:
            {
                if (byAddress.Remove(SpoolRecordCodec.ReadMessageRemoved(payload), out var slot)) _index.RemoveMessage(slot);
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested) return;
        _stopping.Cancel();
        await _flusher.ConfigureAwait(false);
        lock (_flushGate)
        lock (_lock)
        {
            foreach (var segment in _segments.Values) segment.Dispose();
            _segments.Clear();
        }
        _stopping.Dispose();
        _groupFull.Dispose();
    }
}
