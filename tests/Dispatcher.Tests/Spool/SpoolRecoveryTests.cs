using Pipeline.Dispatcher.Spool;

namespace Pipeline.Dispatcher.Tests.Spool;

/// <summary>Crash recovery: the segment is cut at every byte of its last record (what a crash in the middle of an
/// append leaves), filled with garbage instead of zeros, damaged in the middle, or has a broken header.</summary>
public sealed class SpoolRecoveryTests : IAsyncLifetime
{
    private readonly SpoolFixture _spool = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _spool.DisposeAsync();

    /// <summary>The offsets of every record of a closed segment file and its end.</summary>
    private static (List<int> Offsets, int End) Records(string file)
    {
        using var segment = SpoolSegment.Open(file, out var problem) ?? throw new InvalidOperationException(problem);
        var offsets = new List<int>();
        segment.Scan((_, offset, _, _) => offsets.Add(offset));
        return (offsets, segment.Tail);
    }

    /// <summary>Closes the spool and reads back its only segment's records.</summary>
    private async Task<(string File, List<int> Offsets, int End)> CloseAsync(Pipeline.Dispatcher.Spool.Spool spool)
    {
        await spool.DisposeAsync();
        var file = Assert.Single(_spool.SegmentFiles());
        var (offsets, end) = Records(file);
        return (file, offsets, end);
    }

    /// <summary>A copy of the spool's only segment, cut to <paramref name="length"/> bytes, in a folder of its own.</summary>
    private string CutCopy(string file, int length, TempDirectory into, Action<FileStream>? damage = null)
    {
        var dir = Path.Combine(into.Path, $"cut-{length}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var copy = Path.Combine(dir, Path.GetFileName(file));
        File.Copy(file, copy);
        using var stream = new FileStream(copy, FileMode.Open, FileAccess.ReadWrite);
        stream.SetLength(length);
        damage?.Invoke(stream);
        return dir;
    }

    [Fact]
    public async Task A_crash_at_any_byte_of_a_stored_message_loses_only_that_message_and_the_spool_goes_on()
    {
        var first = SpoolFixture.Message(300, "a@example.test");
        var last = SpoolFixture.Message(300, "b@example.test", "c@other.test");
        var spool = _spool.Open();
        await spool.StoreAsync(first, CancellationToken.None);
        await spool.StoreAsync(last, CancellationToken.None);
        var (file, offsets, end) = await CloseAsync(spool);
        Assert.Equal(2, offsets.Count);

        using var copies = new TempDirectory();
        for (int cut = offsets[1]; cut <= end; cut++)
        {
            var dir = CutCopy(file, cut, copies);
            var later = SpoolFixture.Message("d@example.test");
            await using (var recovered = _spool.Open(dir))
            {
                var whole = cut == end;
                Assert.True(recovered.Find(first.MessageId) is not null, $"cut at {cut}: the first message is gone");
                Assert.True((recovered.Find(last.MessageId) is not null) == whole, $"cut at {cut}: the cut message is {(whole ? "missing" : "back")}");
                Assert.Equal(whole ? 3 : 1, recovered.RecipientCount);
                Assert.Equal(cut > offsets[1] && !whole, recovered.Recovery.TornTail);
                Assert.Equal(0, recovered.Recovery.CorruptRecords);
                await recovered.StoreAsync(later, CancellationToken.None);
            }
            await using (var again = _spool.Open(dir))
            {
                Assert.NotNull(again.Find(first.MessageId));
                Assert.NotNull(again.Find(later.MessageId));
                Assert.Equal(0, again.Recovery.CorruptRecords);
            }
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_crash_at_any_byte_of_a_recipient_change_leaves_the_recipient_as_it_was()
    {
        var message = SpoolFixture.Message("a@example.test");
        var spool = _spool.Open();
        await spool.StoreAsync(message, CancellationToken.None);
        var work = Assert.Single(spool.TakeDue(10));
        var retryAt = SpoolFixture.Start.AddMinutes(10);
        await spool.CompleteAsync([new RecipientCompletion(work.Recipients[0].Handle, new RecipientStatus(RecipientState.Deferred, 1, retryAt.UtcTicks))], CancellationToken.None);
        var (file, offsets, end) = await CloseAsync(spool);
        Assert.Equal(2, offsets.Count);

        using var copies = new TempDirectory();
        for (int cut = offsets[1]; cut <= end; cut++)
        {
            var dir = CutCopy(file, cut, copies);
            await using (var recovered = _spool.Open(dir))
            {
                var counts = Assert.Single(recovered.Inspect());
                if (cut == end)
                {
                    Assert.Equal((0L, 1L), (counts.Queued, counts.Deferred));
                    Assert.Equal(retryAt, recovered.NextDueAt);
                }
                else
                {
                    // The change never happened: the recipient is due now, with no attempt counted.
                    Assert.True((1L, 0L) == (counts.Queued, counts.Deferred), $"cut at {cut}: {counts}");
                    var again = Assert.Single(recovered.TakeDue(10));
                    Assert.Equal(0, again.Recipients[0].AttemptsSoFar);
                }
            }
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Garbage_after_the_last_whole_record_is_a_torn_tail_never_a_record()
    {
        var kept = SpoolFixture.Message(200, "a@example.test");
        var torn = SpoolFixture.Message(2000, "b@example.test");
        var spool = _spool.Open();
        await spool.StoreAsync(kept, CancellationToken.None);
        await spool.StoreAsync(torn, CancellationToken.None);
        var (file, offsets, end) = await CloseAsync(spool);

        using var copies = new TempDirectory();
        var random = new Random(5);
        foreach (var cut in new[] { offsets[1] + 2, offsets[1] + 9, offsets[1] + 700, end - 1 })
        {
            // Pages of one write reach the disk in any order: the record's tail may be there while its middle is not.
            var dir = CutCopy(file, end + 4096, copies, stream =>
            {
                var garbage = new byte[end - cut];
                random.NextBytes(garbage);
                stream.Position = cut;
                stream.Write(garbage);
            });
            await using (var recovered = _spool.Open(dir))
            {
                Assert.NotNull(recovered.Find(kept.MessageId));
                Assert.Null(recovered.Find(torn.MessageId));
                Assert.True(recovered.Recovery.TornTail);
            }
            // The garbage was cleared: the next start finds a clean end.
            await using (var again = _spool.Open(dir)) Assert.False(again.Recovery.TornTail);
        }
    }

    [Theory]
    [InlineData(SpoolSegment.RecordHeaderSize + 40, "a payload byte")]
    [InlineData(3, "the high byte of the length")]
    public async Task A_damaged_record_in_the_middle_is_skipped_and_reported_and_the_records_after_it_recovered(int at, string what)
    {
        var a = SpoolFixture.Message("a@example.test");
        var b = SpoolFixture.Message("b@example.test");
        var c = SpoolFixture.Message("c@example.test");
        var spool = _spool.Open();
        foreach (var m in new[] { a, b, c }) await spool.StoreAsync(m, CancellationToken.None);
        var (file, offsets, _) = await CloseAsync(spool);
        using (var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite))
        {
            // A damaged length sends the record's end far away: the scan must find the next record by itself.
            stream.Position = offsets[1] + at;
            var old = stream.ReadByte();
            stream.Position--;
            stream.WriteByte((byte)(old ^ 0x5A));
        }

        var recovered = _spool.Open();

        Assert.NotNull(recovered.Find(a.MessageId));
        Assert.True(recovered.Find(b.MessageId) is null, $"damaged {what}, yet the record was read");
        Assert.NotNull(recovered.Find(c.MessageId));
        Assert.Equal(1, recovered.Recovery.CorruptRecords);
        Assert.False(recovered.Recovery.TornTail);
    }

    [Fact]
    public async Task A_segment_with_a_broken_header_is_moved_aside_and_the_other_segments_recovered()
    {
        var a = SpoolFixture.Message("a@example.test");
        var b = SpoolFixture.Message("b@example.test");
        var spool = _spool.Open();
        await spool.StoreAsync(a, CancellationToken.None);
        spool = await _spool.ReopenAsync();
        await spool.StoreAsync(b, CancellationToken.None);
        await spool.DisposeAsync();
        var files = _spool.SegmentFiles();
        Assert.Equal(2, files.Length);
        using (var stream = new FileStream(files[0], FileMode.Open, FileAccess.ReadWrite)) stream.Write("garbage!"u8);

        var recovered = _spool.Open();

        Assert.Null(recovered.Find(a.MessageId));
        Assert.NotNull(recovered.Find(b.MessageId));
        Assert.Equal([files[0]], recovered.Recovery.CorruptSegments);
        Assert.True(File.Exists(files[0] + ".corrupt"));
    }

    [Fact]
    public async Task Deliveries_deferrals_and_removals_survive_a_restart()
    {
        var done = SpoolFixture.Message("a@example.test", "b@example.test");
        var half = SpoolFixture.Message("c@example.test", "d@other.test");
        var spool = _spool.Open();
        await spool.StoreAsync(done, CancellationToken.None);
        await spool.StoreAsync(half, CancellationToken.None);
        var due = spool.TakeDue(10).SelectMany(w => w.Recipients).ToDictionary(r => r.Address);
        var retryAt = SpoolFixture.Start.AddMinutes(15).UtcTicks;
        await spool.CompleteAsync(
        [
            new(due["a@example.test"].Handle, new RecipientStatus(RecipientState.Delivered, 1, 0)),
            new(due["b@example.test"].Handle, new RecipientStatus(RecipientState.Failed, 1, 0)),
            new(due["c@example.test"].Handle, new RecipientStatus(RecipientState.Delivered, 1, 0)),
            new(due["d@other.test"].Handle, new RecipientStatus(RecipientState.Deferred, 1, retryAt)),
        ], CancellationToken.None);

        var recovered = await _spool.ReopenAsync();

        Assert.Null(recovered.Find(done.MessageId));
        Assert.NotNull(recovered.Find(half.MessageId));
        Assert.Equal((1, 1L), (recovered.MessageCount, recovered.RecipientCount));
        Assert.Empty(recovered.TakeDue(10));
        _spool.Clock.UtcNow = new DateTimeOffset(retryAt, TimeSpan.Zero);
        var work = Assert.Single(recovered.TakeDue(10));
        Assert.Equal("other.test", work.Domain);
        Assert.Equal(["d@other.test"], work.Message.Recipients);
        Assert.Equal(1, Assert.Single(work.Recipients).AttemptsSoFar);
        Assert.Equal(half.Content, work.Message.Content);
    }

    [Fact]
    public async Task A_messages_traceparent_survives_a_restart_and_one_stored_without_comes_back_without()
    {
        const string traceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        var traced = SpoolFixture.Message("a@traced.test");
        var untraced = SpoolFixture.Message("b@untraced.test");
        var spool = _spool.Open();
        await spool.StoreAsync(traced, traceParent, CancellationToken.None);
        await spool.StoreAsync(untraced, CancellationToken.None);
        Assert.Equal(_spool.SegmentFiles().Sum(f => new FileInfo(f).Length), spool.SegmentBytes);

        var recovered = await _spool.ReopenAsync();

        var due = recovered.TakeDue(10).ToDictionary(w => w.Domain);
        Assert.Equal(traceParent, due["traced.test"].TraceParent);
        Assert.Null(due["untraced.test"].TraceParent);
    }
}
