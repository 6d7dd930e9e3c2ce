using Pipeline.Contracts;
using Pipeline.Dispatcher.Spool;

namespace Pipeline.Dispatcher.Tests.Spool;

public sealed class SpoolRecordCodecTests
{
    private static MessageSigned Sample(string? jobId) => new()
    {
        MessageId = Guid.NewGuid(),
        AcceptedAt = new DateTimeOffset(2026, 3, 14, 9, 26, 53, TimeSpan.FromHours(2)),
        MailFrom = "bounces+x@example.com",
        Recipients = ["a@example.test", "Ünïcode@bücher.example", "c@other.test"],
        VirtualMta = "mta1",
        JobId = jobId,
        HeaderMessageId = jobId is null ? null : "m1@example.com",
        Signatures = ["d=example.com; s=s1; a=rsa-sha256", "d=example.com; s=s2; a=ed25519-sha256"],
        Content = [.. "Subject: x\r\n\r\nbody\r\n"u8, 0, 255, 13, 10],
    };

    [Theory]
    [InlineData("job-7")]
    [InlineData(null)]
    public void A_stored_message_comes_back_with_every_field_and_recipient_status(string? jobId)
    {
        var message = Sample(jobId);
        RecipientStatus[] statuses =
        [
            new(RecipientState.Queued, 0, 1), new(RecipientState.Deferred, 3, 638_000_000_000_000_000), new(RecipientState.Delivered, 1, 5),
        ];
        var payload = new byte[SpoolRecordCodec.MessageStoredLength(message)];

        SpoolRecordCodec.WriteMessageStored(payload, message, statuses, supersedes: SpoolAddress.Of(4, 1234));
        var back = SpoolRecordCodec.ReadMessageStored(payload, out var backStatuses, out var supersedes);

        Assert.Equal(message.MessageId, back.MessageId);
        Assert.Equal(message.AcceptedAt, back.AcceptedAt);
        Assert.Equal(message.MailFrom, back.MailFrom);
        Assert.Equal(message.Recipients, back.Recipients);
        Assert.Equal(message.VirtualMta, back.VirtualMta);
        Assert.Equal(message.JobId, back.JobId);
        Assert.Equal(message.HeaderMessageId, back.HeaderMessageId);
        Assert.Equal(message.Signatures, back.Signatures);
        Assert.Equal(message.Content, back.Content);
        Assert.Equal(statuses, backStatuses);
        Assert.Equal((4, 1234), (SpoolAddress.Segment(supersedes), SpoolAddress.Offset(supersedes)));
    }

    [Fact]
    public void The_traceparent_comes_back_and_a_record_written_without_one_is_the_older_format_and_reads_as_none()
    {
        var message = Sample("job-7");
        RecipientStatus[] statuses = [new(RecipientState.Queued, 0, 1), new(RecipientState.Queued, 0, 1), new(RecipientState.Queued, 0, 1)];
        const string traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        var withTrace = new byte[SpoolRecordCodec.MessageStoredLength(message, traceParent)];
        var without = new byte[SpoolRecordCodec.MessageStoredLength(message)];

        SpoolRecordCodec.WriteMessageStored(withTrace, message, statuses, 0, traceParent);
        SpoolRecordCodec.WriteMessageStored(without, message, statuses, 0);

        // The older format ends at the body: a record without a traceparent is exactly that, byte for byte.
        Assert.Equal(without.Length + 2 + traceParent.Length, withTrace.Length);
        Assert.Equal(without, withTrace[..without.Length]);
        var back = SpoolRecordCodec.ReadMessageStored(withTrace, out _, out _, out var backTrace);
        Assert.Equal(traceParent, backTrace);
        Assert.Equal(message.Content, back.Content);
        var old = SpoolRecordCodec.ReadMessageStored(without, out var oldStatuses, out _, out var oldTrace);
        Assert.Null(oldTrace);
        Assert.Equal(message.Recipients, old.Recipients);
        Assert.Equal(statuses, oldStatuses);
    }

    [Fact]
    public void A_recipient_change_comes_back_whole()
    {
        var payload = new byte[SpoolRecordCodec.RecipientChangedLength];
        var status = new RecipientStatus(RecipientState.Deferred, 65535, long.MaxValue - 7);

        SpoolRecordCodec.WriteRecipientChanged(payload, SpoolAddress.Of(int.MaxValue, 32), 65534, status);
        SpoolRecordCodec.ReadRecipientChanged(payload, out var message, out var index, out var back);

        Assert.Equal(SpoolAddress.Of(int.MaxValue, 32), message);
        Assert.Equal(65534, index);
        Assert.Equal(status, back);
    }

    [Fact]
    public void A_removal_comes_back_whole()
    {
        var payload = new byte[SpoolRecordCodec.MessageRemovedLength];
        SpoolRecordCodec.WriteMessageRemoved(payload, SpoolAddress.Of(9, 77));
        Assert.Equal(SpoolAddress.Of(9, 77), SpoolRecordCodec.ReadMessageRemoved(payload));
    }

    [Fact]
    public void An_unknown_recipient_state_is_refused_as_bad_data()
    {
        var payload = new byte[SpoolRecordCodec.RecipientChangedLength];
        SpoolRecordCodec.WriteRecipientChanged(payload, 1, 0, new RecipientStatus(RecipientState.Queued, 0, 0));
        payload[10] = 9;
        Assert.Throws<InvalidDataException>(() => SpoolRecordCodec.ReadRecipientChanged(payload, out _, out _, out _));
    }

    [Fact]
    public void A_message_without_recipients_cannot_be_stored()
    {
        var message = Sample("j") with { Recipients = [] };
        var e = Assert.Throws<ArgumentException>(() => SpoolRecordCodec.MessageStoredLength(message));
        Assert.Contains("recipients", e.Message);
    }

    [Fact]
    public void Every_record_type_survives_a_segment_written_closed_and_scanned()
    {
        using var dir = new TempDirectory();
        var message = Sample("job");
        var statuses = new RecipientStatus[3];
        int stored, changed, removed;
        using (var segment = SpoolSegment.Create(dir.Path, 1, 64 * 1024))
        {
            Assert.True(segment.TryAppend(SpoolRecordType.MessageStored, SpoolRecordCodec.MessageStoredLength(message), message,
                (span, m) => SpoolRecordCodec.WriteMessageStored(span, m, statuses, 0), out stored));
            Assert.True(segment.TryAppend(SpoolRecordType.RecipientChanged, SpoolRecordCodec.RecipientChangedLength, 0,
                (span, _) => SpoolRecordCodec.WriteRecipientChanged(span, 5, 2, new RecipientStatus(RecipientState.Failed, 1, 9)), out changed));
            Assert.True(segment.TryAppend(SpoolRecordType.MessageRemoved, SpoolRecordCodec.MessageRemovedLength, 0,
                (span, _) => SpoolRecordCodec.WriteMessageRemoved(span, 5), out removed));
            segment.Flush();
        }

        using var reopened = SpoolSegment.Open(Path.Combine(dir.Path, SpoolSegment.FileName(1)), out var problem)!;
        Assert.Null(problem);
        var seen = new List<(int Offset, SpoolRecordType Type, byte[] Payload)>();
        var scan = reopened.Scan((_, offset, type, payload) => seen.Add((offset, type, payload.ToArray())));

        Assert.Equal(3, scan.Records);
        Assert.Equal((0, 0), (scan.CorruptRecords, scan.TornTailBytes));
        Assert.Equal([(stored, SpoolRecordType.MessageStored), (changed, SpoolRecordType.RecipientChanged), (removed, SpoolRecordType.MessageRemoved)],
            seen.Select(s => (s.Offset, s.Type)));
        Assert.Equal(message.Content, SpoolRecordCodec.ReadMessageStored(seen[0].Payload, out _, out _).Content);
        SpoolRecordCodec.ReadRecipientChanged(seen[1].Payload, out var address, out var index, out var status);
        Assert.Equal((5L, (ushort)2, RecipientState.Failed), (address, index, status.State));
        Assert.Equal(5L, SpoolRecordCodec.ReadMessageRemoved(seen[2].Payload));
        Assert.Equal(removed + SpoolSegment.RecordHeaderSize + SpoolRecordCodec.MessageRemovedLength, reopened.Tail);
    }

    [Fact]
    public void A_record_reads_the_same_before_its_flush_from_the_tail_buffer_and_after_it_from_the_mapping()
    {
        using var dir = new TempDirectory();
        using var segment = SpoolSegment.Create(dir.Path, 1, 1 << 20);
        var payloads = Enumerable.Range(0, 100).Select(i => Enumerable.Repeat((byte)(i + 1), 4000 + i).ToArray()).ToArray();
        var offsets = new List<int>();
        foreach (var payload in payloads)
        {
            // More than the first tail buffer holds, so the buffer grows while records wait.
            Assert.True(segment.TryAppend(SpoolRecordType.MessageRemoved, payload.Length, payload, (span, p) => p.CopyTo(span), out var offset));
            offsets.Add(offset);
        }
        for (int i = 0; i < payloads.Length; i++) Assert.Equal(payloads[i], segment.Payload(offsets[i], out _).ToArray());
        // Nothing reached the file yet: it holds zeros where the records will go.
        Assert.All(File.ReadAllBytes(segment.Path).AsSpan(SpoolSegment.HeaderSize, 4000).ToArray(), b => Assert.Equal(0, b));

        segment.Flush();
        for (int i = 0; i < payloads.Length; i++)
        {
            Assert.Equal(payloads[i], segment.Payload(offsets[i], out var type).ToArray());
            Assert.Equal(SpoolRecordType.MessageRemoved, type);
        }
        Assert.Equal(payloads[0], File.ReadAllBytes(segment.Path).AsSpan(offsets[0] + SpoolSegment.RecordHeaderSize, payloads[0].Length).ToArray());
    }

    [Fact]
    public void A_record_that_does_not_fit_is_refused_and_nothing_is_written()
    {
        using var dir = new TempDirectory();
        using var segment = SpoolSegment.Create(dir.Path, 1, 1024);
        Assert.False(segment.TryAppend(SpoolRecordType.MessageRemoved, 1024, 0, (_, _) => { }, out _));
        Assert.Equal(SpoolSegment.HeaderSize, segment.Tail);
    }

    [Fact]
    public void Crc32C_matches_the_published_check_value()
    {
        // RFC 3720 B.4 / the CRC catalogue: CRC-32C("123456789") = 0xE3069283.
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
        Assert.Equal(Crc32C.Compute("123456789"u8), Crc32C.Append(Crc32C.Compute("1234"u8), "56789"u8));
    }
}
