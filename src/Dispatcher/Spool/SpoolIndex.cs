using System.Runtime.InteropServices;
using System.Text;

namespace Pipeline.Dispatcher.Spool;

/// <summary>The in-RAM index of one spool: every live message and recipient in struct arrays, and per destination
/// domain a priority queue of its waiting recipients keyed by next attempt time, so picking the next due recipient is
/// two heap operations whatever the queue's size. Kept small on purpose (a few dozen bytes per recipient, see the
/// README's figures): a message is its id, its record's address and its age; a recipient is a domain number, a state
/// and a time; addresses, envelope and body stay on disk and are read through the mapping when delivering.
/// Not thread-safe: <see cref="Spool"/> calls it under its lock.</summary>
public sealed class SpoolIndex
{
    private MessageEntry[] _messages = new MessageEntry[1024];
    private int _messageHighWater;
    private readonly Stack<int> _freeMessages = new();
    private readonly Dictionary<Guid, int> _byId = [];

    // Recipients of a message sit side by side, so (message, index) finds one without a table; freed blocks are
    // reused by messages with the same number of recipients.
    private RecipientEntry[] _recipients = new RecipientEntry[1024];
    private int _recipientHighWater;
    private readonly Dictionary<int, Stack<int>> _freeBlocks = [];

    private readonly List<DomainQueue> _domains = [];
    private readonly Dictionary<string, int> _domainIds = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _domainLookup;
    // One entry per domain with waiting recipients, at the time of its earliest one. An entry whose time is no longer
    // its domain's earliest is stale and dropped when met (lazy deletion: cheaper than updating a heap in place).
    private readonly PriorityQueue<int, long> _domainHeads = new();

    // Jobs (X-Job) by number, so that a message names its campaign in four bytes and a held job is a set lookup.
    // The job id is the submitter's to choose: a job is known only while a live message has it or it is held, and a
    // freed number is reused, so distinct job ids do not add up over a spool's life.
    private readonly List<JobEntry> _jobs = [];
    private readonly Stack<int> _freeJobs = new();
    private readonly Dictionary<string, int> _jobIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _jobLookup;

    // Operator holds (pause): a held domain has no entry in _domainHeads, so it costs the scheduler nothing until
    // released; recipients of a held job met in a take are parked outside their domains' queues until released.
    private bool _holdAll;
    private readonly HashSet<int> _heldDomains = [];
    private readonly HashSet<int> _heldJobs = [];
    private readonly List<int> _parked = [];

    public SpoolIndex()
    {
        _domainLookup = _domainIds.GetAlternateLookup<ReadOnlySpan<char>>();
        _jobLookup = _jobIds.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int MessageCount => _byId.Count;

    /// <summary>Recipients not final yet, waiting or being delivered.</summary>
    public long LiveRecipients { get; private set; }

    public bool TryFind(Guid messageId, out int message) => _byId.TryGetValue(messageId, out message);

    public ref readonly MessageEntry Message(int message) => ref _messages[message];

    public ref readonly RecipientEntry Recipient(int recipient) => ref _recipients[recipient];

    public string DomainName(int domain) => _domains[domain].Name;

    /// <summary>The number of a domain, given as the recipient address's UTF-8 bytes; each name is kept once.</summary>
    public int DomainOf(ReadOnlySpan<byte> address)
    {
        var at = address.LastIndexOf((byte)'@');
        var domain = address[(at + 1)..];
        Span<char> chars = stackalloc char[256];
        if (domain.Length <= chars.Length && Encoding.UTF8.TryGetChars(domain, chars, out var written))
        {
            if (_domainLookup.TryGetValue(chars[..written], out var id)) return id;
            return AddDomain(chars[..written].ToString());
        }
        return DomainOf(Encoding.UTF8.GetString(domain));
    }

    public int DomainOf(string domain) => _domainIds.TryGetValue(domain, out var id) ? id : AddDomain(domain);

    /// <summary>The number a message carries for its job id (X-Job): 0 for none, else the job's index plus one.</summary>
    public int JobOf(string? jobId)
    {
        if (string.IsNullOrEmpty(jobId)) return 0;
        if (_jobIds.TryGetValue(jobId, out var id)) return id + 1;
        return AddJob(jobId);
    }

    /// <summary>As <see cref="JobOf(string)"/> from the UTF-8 bytes recovery reads, without a string per message.</summary>
    public int JobOf(ReadOnlySpan<byte> jobId)
    {
        if (jobId.IsEmpty) return 0;
        Span<char> chars = stackalloc char[256];
        if (jobId.Length <= chars.Length && Encoding.UTF8.TryGetChars(jobId, chars, out var written))
            return _jobLookup.TryGetValue(chars[..written], out var id) ? id + 1 : AddJob(chars[..written].ToString());
        return JobOf(Encoding.UTF8.GetString(jobId));
    }

    public string? JobName(int job) => job == 0 ? null : _jobs[job - 1].Name;

    /// <summary>Jobs known now: those of live messages and the held ones.</summary>
    public int JobCount => _jobIds.Count;

    /// <summary>Interns a job with no message yet: <see cref="AddMessage"/> (or a hold) keeps it; until then nothing
    /// frees it, so a number from <see cref="JobOf(string)"/> must go into a message or a hold at once.</summary>
    private int AddJob(string name)
    {
        int index;
        if (_freeJobs.Count > 0)
        {
            index = _freeJobs.Pop();
            _jobs[index] = new JobEntry(name, 0);
        }
        else
        {
            index = _jobs.Count;
            _jobs.Add(new JobEntry(name, 0));
        }
        _jobIds.Add(name, index);
        return index + 1;
    }

    /// <summary>Forgets a job no live message has and no hold keeps; its number is free for the next new job.</summary>
    private void ForgetJobIfUnused(int job)
    {
        var entry = _jobs[job - 1];
        if (entry.Messages > 0 || _heldJobs.Contains(job)) return;
        _jobIds.Remove(entry.Name!);
        _jobs[job - 1] = default;
        _freeJobs.Push(job - 1);
    }

    private int AddDomain(string name)
    {
        var id = _domains.Count;
        _domains.Add(new DomainQueue(name.ToLowerInvariant()));
        _domainIds.Add(name, id);
        return id;
    }

    /// <summary>Adds a message with <paramref name="recipientCount"/> recipients, all Queued; set each with
    /// <see cref="SetRecipient"/>, then <see cref="Schedule"/> it (or, in recovery, <see cref="ScheduleAll"/>).</summary>
    public int AddMessage(Guid id, long address, long acceptedAtTicks, int recordLength, int recipientCount, int job = 0)
    {
        var slot = _freeMessages.Count > 0 ? _freeMessages.Pop() : NextMessageSlot();
        var first = AllocateBlock(recipientCount);
        _messages[slot] = new MessageEntry
        {
            Id = id, Address = address, AcceptedAtTicks = acceptedAtTicks, RecordLength = recordLength,
            FirstRecipient = first, RecipientCount = (ushort)recipientCount, Pending = 0,
            LastSegment = SpoolAddress.Segment(address), Live = true, Job = job,
        };
        _byId.Add(id, slot);
        if (job != 0) CollectionsMarshal.AsSpan(_jobs)[job - 1].Messages++;
        return slot;
    }

    public void SetRecipient(int message, int index, int domain, RecipientStatus status)
    {
        ref var m = ref _messages[message];
        ref var r = ref _recipients[m.FirstRecipient + index];
        if (r.Message == message + 1 && !r.IsFinal) { m.Pending--; LiveRecipients--; }
        r = new RecipientEntry
        {
            Message = message + 1, Domain = domain, NextAttemptTicks = status.NextAttemptTicks, Attempts = status.Attempts,
            State = status.State,
        };
        if (!r.IsFinal) { m.Pending++; LiveRecipients++; }
    }

    /// <summary>A state record read in recovery: the recipient takes it as it is.</summary>
    public void Apply(int message, int index, RecipientStatus status, int segment)
    {
        ref var m = ref _messages[message];
        if (index >= m.RecipientCount) throw new InvalidDataException($"recipient {index} of a message with {m.RecipientCount}");
        SetRecipient(message, index, _recipients[m.FirstRecipient + index].Domain, status);
        if (segment > m.LastSegment) m.LastSegment = segment;
    }

    /// <summary>Puts the message's waiting recipients in their domains' queues.</summary>
    public void Schedule(int message)
    {
        ref var m = ref _messages[message];
        for (int i = 0; i < m.RecipientCount; i++)
        {
            var slot = m.FirstRecipient + i;
            if (!_recipients[slot].IsFinal) Enqueue(slot);
        }
    }

    /// <summary>After recovery: every waiting recipient into its domain's queue, each heap built in one pass.</summary>
    public void ScheduleAll()
    {
        var perDomain = new List<(int, long)>[_domains.Count];
        foreach (var (recipient, _) in Waiting())
        {
            ref readonly var r = ref _recipients[recipient];
            (perDomain[r.Domain] ??= []).Add((recipient, r.NextAttemptTicks));
        }
        for (int d = 0; d < perDomain.Length; d++)
        {
            if (perDomain[d] is not { } items) continue;
            var queue = _domains[d].Waiting;
            queue.EnqueueRange(items);
            if (queue.TryPeek(out _, out var head)) _domainHeads.Enqueue(d, head);
        }
    }

    private void Enqueue(int recipient)
    {
        ref var r = ref _recipients[recipient];
        var queue = _domains[r.Domain].Waiting;
        // A new earliest time for the domain needs a new head entry; the old one turns stale.
        var newHead = !queue.TryPeek(out _, out var head) || r.NextAttemptTicks < head;
        queue.Enqueue(recipient, r.NextAttemptTicks);
        if (newHead && !_heldDomains.Contains(r.Domain)) _domainHeads.Enqueue(r.Domain, r.NextAttemptTicks);
    }

    /// <summary>The earliest next attempt among waiting recipients, or null when none waits.</summary>
    public long? NextDueTicks
    {
        get
        {
            if (_holdAll) return null;
            while (_domainHeads.TryPeek(out var domain, out var ticks))
            {
                if (_domains[domain].Waiting.TryPeek(out _, out var head) && head == ticks && !_heldDomains.Contains(domain)) return ticks;
                _domainHeads.Dequeue();
            }
            return null;
        }
    }

    /// <summary>Takes up to <paramref name="max"/> recipients due at <paramref name="nowTicks"/>, earliest first
    /// across domains; they are in flight until <see cref="Complete"/>. A domain <paramref name="acceptDomain"/>
    /// refuses (its delivery queue is full, e.g. throttled) keeps its recipients here and does not hold up the others.</summary>
    public int TakeDue(long nowTicks, int max, List<int> into, Func<string, bool>? acceptDomain = null)
    {
        if (_holdAll) return 0;
        int taken = 0;
        List<(int Domain, long Ticks)>? refused = null;
        HashSet<int>? refusedDomains = null;
        while (taken < max && _domainHeads.TryPeek(out var domain, out var ticks) && ticks <= nowTicks)
        {
            _domainHeads.Dequeue();
            var queue = _domains[domain].Waiting;
            if (!queue.TryPeek(out _, out var head) || head != ticks) continue;
            // Held: the head entry is dropped, so the domain costs nothing until ReleaseDomain puts it back.
            if (_heldDomains.Contains(domain)) continue;
            if (acceptDomain is not null && !acceptDomain(_domains[domain].Name))
            {
                // Once per domain: a duplicate head entry (left by a release) must not be kept alive forever.
                refused ??= [];
                refusedDomains ??= [];
                if (refusedDomains.Add(domain)) refused.Add((domain, ticks));
                continue;
            }
            while (taken < max && queue.TryPeek(out var recipient, out var due) && due <= nowTicks)
            {
                queue.Dequeue();
                if (_heldJobs.Count > 0 && _heldJobs.Contains(_messages[_recipients[recipient].Message - 1].Job))
                {
                    _parked.Add(recipient);
                    continue;
                }
                _recipients[recipient].InFlight = true;
                into.Add(recipient);
                taken++;
            }
            if (queue.TryPeek(out _, out var next)) _domainHeads.Enqueue(domain, next);
        }
        if (refused is not null)
        {
            foreach (var (domain, ticks) in refused) _domainHeads.Enqueue(domain, ticks);
        }
        return taken;
    }

    /// <summary>Pauses (true) or resumes the whole spool: nothing is taken while held.</summary>
    public void HoldAll(bool held) => _holdAll = held;

    public bool IsAllHeld => _holdAll;

    /// <summary>Pauses one destination domain: its recipients stay here and are not taken. False when already held.</summary>
    public bool HoldDomain(string domain) => _heldDomains.Add(DomainOf(domain));

    /// <summary>Resumes a held domain: its due recipients are due again at once. False when it was not held.</summary>
    public bool ReleaseDomain(string domain)
    {
        if (!_domainIds.TryGetValue(domain, out var d) || !_heldDomains.Remove(d)) return false;
        PushHead(d);
        return true;
    }

    public bool IsDomainHeld(string domain) => _domainIds.TryGetValue(domain, out var d) && _heldDomains.Contains(d);

    /// <summary>Pauses a job: its recipients are parked when met in a take. False when already held.</summary>
    public bool HoldJob(string jobId) => _heldJobs.Add(JobOf(jobId));

    /// <summary>Resumes a held job: its parked recipients go back to their domains' queues, due as they were.
    /// Returns how many were parked; -1 when the job was not held.</summary>
    public int ReleaseJob(string jobId)
    {
        if (!_jobIds.TryGetValue(jobId, out var id) || !_heldJobs.Remove(id + 1)) return -1;
        int released = 0;
        _parked.RemoveAll(recipient =>
        {
            if (_messages[_recipients[recipient].Message - 1].Job != id + 1) return false;
            Enqueue(recipient);
            released++;
            return true;
        });
        ForgetJobIfUnused(id + 1);
        return released;
    }

    public bool IsJobHeld(string? jobId) =>
        jobId is { Length: > 0 } && _jobIds.TryGetValue(jobId, out var id) && _heldJobs.Contains(id + 1);

    private void PushHead(int domain)
    {
        if (_domains[domain].Waiting.TryPeek(out _, out var head)) _domainHeads.Enqueue(domain, head);
    }

    /// <summary>Takes every waiting recipient (not in flight) of <paramref name="domain"/> and of
    /// <paramref name="jobId"/> (null: any), held or not, out of the queues; they are in flight until
    /// <see cref="Complete"/>, as after <see cref="TakeDue"/>. For an operator's delete.</summary>
    public int TakeWhere(string? domain, string? jobId, List<int> into)
    {
        int domainFilter = -1, jobFilter = 0;
        if (domain is not null && !_domainIds.TryGetValue(domain, out domainFilter)) return 0;
        if (jobId is not null)
        {
            if (!_jobIds.TryGetValue(jobId, out var id)) return 0;
            jobFilter = id + 1;
        }
        var affected = new HashSet<int>();
        int taken = 0;
        for (int message = 0; message < _messageHighWater; message++)
        {
            ref readonly var m = ref _messages[message];
            if (!m.Live || (jobFilter != 0 && m.Job != jobFilter)) continue;
            for (int i = 0; i < m.RecipientCount; i++)
            {
                ref var r = ref _recipients[m.FirstRecipient + i];
                if (r.IsFinal || r.InFlight || (domainFilter >= 0 && r.Domain != domainFilter)) continue;
                r.InFlight = true;
                into.Add(m.FirstRecipient + i);
                affected.Add(r.Domain);
                taken++;
            }
        }
        if (taken == 0) return 0;
        // Out of their domains' queues in one rebuild per domain, not one O(n) removal per recipient.
        foreach (var d in affected)
        {
            var queue = _domains[d].Waiting;
            var keep = queue.UnorderedItems.Where(item => !_recipients[item.Element].InFlight).ToList();
            queue.Clear();
            queue.EnqueueRange(keep);
            if (!_heldDomains.Contains(d)) PushHead(d);
        }
        _parked.RemoveAll(recipient => _recipients[recipient].InFlight);
        return taken;
    }

    /// <summary>Makes the waiting recipients of <paramref name="domain"/> (null: every domain) due at
    /// <paramref name="nowTicks"/> if they wait for later; with <paramref name="onlyUntried"/> only those never
    /// attempted (postponed by a rate or warm-up wait, not by a receiver's deferral). Returns how many moved.</summary>
    public int RetryNow(string? domain, long nowTicks, bool onlyUntried)
    {
        int moved = 0;
        for (int d = 0; d < _domains.Count; d++)
        {
            if (domain is not null && !_domains[d].Name.Equals(domain, StringComparison.OrdinalIgnoreCase)) continue;
            var queue = _domains[d].Waiting;
            if (queue.Count == 0) continue;
            var items = queue.UnorderedItems.ToList();
            bool changed = false;
            for (int i = 0; i < items.Count; i++)
            {
                ref var r = ref _recipients[items[i].Element];
                if (items[i].Priority <= nowTicks || (onlyUntried && r.Attempts > 0)) continue;
                r.NextAttemptTicks = nowTicks;
                items[i] = (items[i].Element, nowTicks);
                changed = true;
                moved++;
            }
            if (!changed) continue;
            queue.Clear();
            queue.EnqueueRange(items);
            if (!_heldDomains.Contains(d)) PushHead(d);
        }
        return moved;
    }

    /// <summary>The outcome of an attempt: a final one ends the recipient, a deferral queues it for its next time.
    /// Returns the message's slot and whether it has no recipient left.</summary>
    public bool Complete(int recipient, RecipientStatus status, out int message)
    {
        ref var r = ref _recipients[recipient];
        message = r.Message - 1;
        ref var m = ref _messages[message];
        r.InFlight = false;
        r.State = status.State;
        r.Attempts = status.Attempts;
        r.NextAttemptTicks = status.NextAttemptTicks;
        if (r.IsFinal)
        {
            m.Pending--;
            LiveRecipients--;
        }
        else
        {
            Enqueue(recipient);
        }
        return m.Pending == 0;
    }

    /// <summary>Notes that a record about the message went into <paramref name="segment"/> (compaction must keep
    /// every segment between the message's own and this one).</summary>
    public void Touch(int message, int segment)
    {
        ref var m = ref _messages[message];
        if (segment > m.LastSegment) m.LastSegment = segment;
    }

    /// <summary>The message now lives in a new record (a compaction copy).</summary>
    public void Move(int message, long address, int recordLength)
    {
        ref var m = ref _messages[message];
        m.Address = address;
        m.RecordLength = recordLength;
        m.LastSegment = SpoolAddress.Segment(address);
    }

    /// <summary>Forgets a message and its recipients; their waiting entries, if any, must already be gone (all final),
    /// except in recovery, before <see cref="ScheduleAll"/>.</summary>
    public void RemoveMessage(int message)
    {
        ref var m = ref _messages[message];
        LiveRecipients -= m.Pending;
        _byId.Remove(m.Id);
        if (m.Job != 0)
        {
            CollectionsMarshal.AsSpan(_jobs)[m.Job - 1].Messages--;
            ForgetJobIfUnused(m.Job);
        }
        for (int i = 0; i < m.RecipientCount; i++) _recipients[m.FirstRecipient + i] = default;
        if (!_freeBlocks.TryGetValue(m.RecipientCount, out var free)) _freeBlocks[m.RecipientCount] = free = new Stack<int>();
        free.Push(m.FirstRecipient);
        m = default;
        _freeMessages.Push(message);
    }

    /// <summary>Live messages, for compaction and inspection.</summary>
    public IEnumerable<int> LiveMessages()
    {
        for (int i = 0; i < _messageHighWater; i++)
            if (_messages[i].Live) yield return i;
    }

    /// <summary>Per domain: waiting recipients due now (queued), waiting for a later time (deferred), being delivered,
    /// and the oldest acceptance time among them. A full pass: for the status API, not for a hot path.</summary>
    public IReadOnlyList<DomainQueueCounts> Counts(long nowTicks)
    {
        var counts = new (long Queued, long Deferred, long InFlight, long Oldest)[_domains.Count];
        for (int d = 0; d < counts.Length; d++) counts[d].Oldest = long.MaxValue;
        foreach (var (recipient, acceptedAt) in Waiting())
        {
            ref readonly var r = ref _recipients[recipient];
            ref var c = ref counts[r.Domain];
            if (r.InFlight) c.InFlight++;
            else if (r.NextAttemptTicks <= nowTicks) c.Queued++;
            else c.Deferred++;
            if (acceptedAt < c.Oldest) c.Oldest = acceptedAt;
        }
        var result = new List<DomainQueueCounts>();
        for (int d = 0; d < counts.Length; d++)
        {
            var c = counts[d];
            if (c.Queued + c.Deferred + c.InFlight == 0) continue;
            result.Add(new DomainQueueCounts(_domains[d].Name, c.Queued, c.Deferred, c.InFlight, new DateTimeOffset(c.Oldest, TimeSpan.Zero)));
        }
        return result;
    }

    /// <summary>Every recipient not final yet, with its message's acceptance time.</summary>
    private IEnumerable<(int Recipient, long AcceptedAtTicks)> Waiting()
    {
        for (int message = 0; message < _messageHighWater; message++)
        {
            var m = _messages[message];
            if (!m.Live) continue;
            for (int i = 0; i < m.RecipientCount; i++)
                if (!_recipients[m.FirstRecipient + i].IsFinal) yield return (m.FirstRecipient + i, m.AcceptedAtTicks);
        }
    }

    private int NextMessageSlot()
    {
        if (_messageHighWater == _messages.Length) Array.Resize(ref _messages, _messages.Length * 2);
        return _messageHighWater++;
    }

    private int AllocateBlock(int count)
    {
        if (_freeBlocks.TryGetValue(count, out var free) && free.Count > 0) return free.Pop();
        while (_recipientHighWater + count > _recipients.Length) Array.Resize(ref _recipients, _recipients.Length * 2);
        var first = _recipientHighWater;
        _recipientHighWater += count;
        return first;
    }

    /// <summary>A stored message: 48 bytes.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MessageEntry
    {
        public Guid Id;
        /// <summary>Address of its MessageStored record.</summary>
        public long Address;
        public long AcceptedAtTicks;
        public int FirstRecipient;
        public int RecordLength;
        /// <summary>The last segment holding a record about this message.</summary>
        public int LastSegment;
        public ushort RecipientCount;
        /// <summary>Recipients not final yet.</summary>
        public ushort Pending;
        public bool Live;
        /// <summary>The message's job (<see cref="JobOf(string)"/>), 0 for none; fits the struct's padding.</summary>
        public int Job;
    }

    /// <summary>A recipient: 24 bytes. Its address stays in the message's record on disk.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct RecipientEntry
    {
        /// <summary>The message's slot plus one, so a default entry belongs to nobody.</summary>
        public int Message;
        public int Domain;
        public long NextAttemptTicks;
        public ushort Attempts;
        public RecipientState State;
        public bool InFlight;

        public readonly bool IsFinal => State is RecipientState.Delivered or RecipientState.Failed;
    }

    /// <summary>A job's id and how many live messages carry its number.</summary>
    private record struct JobEntry(string? Name, int Messages);

    private sealed class DomainQueue(string name)
    {
        public string Name { get; } = name;
        /// <summary>Recipient slots keyed by next attempt time (UTC ticks).</summary>
        public PriorityQueue<int, long> Waiting { get; } = new();
    }
}
