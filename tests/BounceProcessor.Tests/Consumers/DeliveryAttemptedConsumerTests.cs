using System.Diagnostics.Metrics;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.BounceProcessor.Accounting;
using Pipeline.BounceProcessor.Classification;
using Pipeline.BounceProcessor.State;
using Pipeline.BounceProcessor.Consumers;
using Pipeline.Contracts;
using Pipeline.BounceProcessor.Telemetry;
using Pipeline.Shared.Configuration;
using Pipeline.Shared.Telemetry;

namespace Pipeline.BounceProcessor.Tests.Consumers;

public sealed class DeliveryAttemptedConsumerTests : IDisposable
{
    private static readonly DateTimeOffset Queued = new(2026, 3, 14, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Attempted = new(2026, 3, 14, 9, 26, 53, 123, TimeSpan.Zero);
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static DeliveryAttempted Attempt(DeliveryOutcome outcome, int code, string status, string diagnostic) => new()
    {
        AttemptId = Guid.NewGuid(),
        MessageId = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"),
        Outcome = outcome,
        MailFrom = "sender@example.com",
        Recipient = "rcpt@example.net",
        SmtpCode = code,
        EnhancedStatus = status,
        Diagnostic = diagnostic,
        RemoteMta = "mx1.example.net",
        RemoteIp = "127.0.0.1",
        VirtualMta = "mta1",
        SourceIp = "127.0.0.2",
        JobId = "j1",
        HeaderMessageId = "m1@example.com",
        QueuedAt = Queued,
        AttemptedAt = Attempted,
        AttemptNumber = 3,
        NextAttemptAt = outcome == DeliveryOutcome.Deferred ? Attempted.AddMinutes(10) : null,
    };

    /// <summary>The record's values by header name, so a value in the wrong column fails.</summary>
    private static Dictionary<string, string?> Columns(AccountingRecord record)
    {
        var values = record.Values().ToArray();
        Assert.Equal(AccountingRecord.Fields.Length, values.Length);
        return AccountingRecord.Fields.Zip(values).ToDictionary(p => p.First, p => p.Second);
    }

    [Theory]
    [InlineData(DeliveryOutcome.Delivered, 250, "2.0.0", "2.0.0 Ok: queued as ABC", "d", "relayed", "2.0.0 (success)")]
    [InlineData(DeliveryOutcome.Failed, 550, "5.1.1", "5.1.1 user unknown", "b", "failed", "5.1.1 (permanent failure)")]
    [InlineData(DeliveryOutcome.Deferred, 451, "4.7.1", "4.7.1 greylisted", "t", "delayed", "4.7.1 (transient failure)")]
    public void Each_outcome_becomes_its_record_type_with_every_field_in_its_column(DeliveryOutcome outcome, int code,
        string status, string diagnostic, string type, string action, string dsnStatus)
    {
        var columns = Columns(DeliveryAttemptedConsumer.ToRecord(Attempt(outcome, code, status, diagnostic)));

        Assert.Equal(type, columns["type"]);
        Assert.Equal("2026-03-14 09:26:53.123+00:00", columns["timeLogged"]);
        Assert.Equal("2026-03-14 09:00:00.000+00:00", columns["timeQueued"]);
        Assert.Equal("sender@example.com", columns["orig"]);
        Assert.Equal("rcpt@example.net", columns["rcpt"]);
        Assert.Equal(action, columns["dsnAction"]);
        Assert.Equal(dsnStatus, columns["dsnStatus"]);
        Assert.Equal($"smtp;{code} {diagnostic}", columns["dsnDiag"]);
        Assert.Equal("mx1.example.net (127.0.0.1)", columns["dsnMta"]);
        Assert.Equal("mta1", columns["vmta"]);
        Assert.Equal("127.0.0.2", columns["dlvSourceIp"]);
        Assert.Equal("127.0.0.1", columns["dlvDestinationIp"]);
        Assert.Equal("j1", columns["jobId"]);
        Assert.Equal("m1@example.com", columns["messageId"]);
        Assert.Equal("0f8fad5bd9cb469fa16570867728950e", columns["pipelineId"]);
        Assert.Equal("3", columns["attempt"]);
    }

    [Fact]
    public void Without_a_reply_the_diagnostic_stays_as_it_is_and_there_is_no_remote_mta()
    {
        var attempt = Attempt(DeliveryOutcome.Deferred, 0, "4.4.1", "No answer from any host for example.net: Connection refused")
            with { RemoteMta = null, RemoteIp = null };

        var columns = Columns(DeliveryAttemptedConsumer.ToRecord(attempt));

        Assert.Equal("t", columns["type"]);
        Assert.Equal("No answer from any host for example.net: Connection refused", columns["dsnDiag"]);
        Assert.Null(columns["dsnMta"]);
        Assert.Null(columns["dlvDestinationIp"]);
    }

    private readonly InProcessSuppressionList _suppressions = new();

    private ServiceProvider Services()
    {
        var options = new PipelineOptions { BounceProcessor = { AccountingDirectory = _directory.Path } };
        return new ServiceCollection()
            .AddSingleton(options)
            .AddLogging()
            .AddSingleton<TimeProvider>(new ManualTimeProvider(Attempted))
            .AddSingleton<AccountingLog>()
            .AddPipelineMetrics<BounceProcessorMetrics>()
            .AddSingleton(new RecentIds())
            .AddSingleton(new ReplyClassifier(BounceRuleSet.LoadDefault()))
            .AddSingleton<ISuppressionList>(_suppressions)
            .AddSingleton<ISentMessageStore>(new InProcessSentMessageStore(TimeProvider.System, TimeSpan.FromDays(1)))
            .AddMassTransitTestHarness(TextWriter.Null, x => x.AddConsumer<DeliveryAttemptedConsumer>())
            .BuildServiceProvider(validateScopes: true);
    }

    [Fact]
    public async Task A_permanent_refusal_is_classified_published_suppressed_and_accounted_with_its_category()
    {
        await using var provider = Services();
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();

        using var metrics = new MetricRecorder(provider.GetRequiredService<IMeterFactory>());

        await harness.Bus.Publish(Attempt(DeliveryOutcome.Failed, 550, "5.1.1", "5.1.1 <rcpt@example.net>: Recipient address rejected: User unknown"));

        Assert.True(await harness.GetConsumerHarness<DeliveryAttemptedConsumer>().Consumed.Any<DeliveryAttempted>());
        Assert.Equal(1, metrics.Sum("pipeline.bounces", ("category", "bad-mailbox")));
        Assert.Equal(1, metrics.Sum("pipeline.accounting.records", ("type", "b")));
        Assert.Equal(1, metrics.Count("pipeline.broker.publish.duration", ("service", "bounce-processor"), ("message_type", "BounceClassified")));
        Assert.True(await harness.Published.Any<BounceClassified>());
        var bounce = harness.Published.Select<BounceClassified>().Single().Context.Message;
        Assert.Equal(("rcpt@example.net", "bad-mailbox", true, "reply"), (bounce.Recipient, bounce.Category, bounce.IsHard, bounce.Source));
        Assert.Equal(("j1", "mta1"), (bounce.JobId, bounce.VirtualMta));
        var entry = await _suppressions.FindAsync("example.com", "RCPT@example.net", CancellationToken.None);
        Assert.NotNull(entry);
        Assert.Equal("bounce", entry.Source);
        var line = Assert.Single(TempDirectory.ReadLines(Path.Combine(_directory.Path, "acct-2026-03-14.csv")), l => l.StartsWith("b,", StringComparison.Ordinal));
        Assert.Contains(",bad-mailbox,", line);
        Assert.False(await harness.Published.Any<BackoffSignalled>());
    }

    [Fact]
    public async Task A_throttling_deferral_signals_backoff_and_suppresses_nobody()
    {
        await using var provider = Services();
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();

        await harness.Bus.Publish(Attempt(DeliveryOutcome.Deferred, 421, "4.7.0",
            "4.7.0 [TSS04] Messages from 127.0.0.2 temporarily deferred due to unexpected volume or user complaints"));

        Assert.True(await harness.Published.Any<BackoffSignalled>());
        var backoff = harness.Published.Select<BackoffSignalled>().Single().Context.Message;
        Assert.Equal(("example.net", "mta1", "spam-related"), (backoff.Domain, backoff.VirtualMta, backoff.Category));
        var bounce = harness.Published.Select<BounceClassified>().Single().Context.Message;
        Assert.False(bounce.IsHard);
        Assert.Empty(await _suppressions.ListAsync(null, 10, CancellationToken.None));
        Assert.Contains(TempDirectory.ReadLines(Path.Combine(_directory.Path, "acct-2026-03-14.csv")), l => l.StartsWith("t,", StringComparison.Ordinal) && l.Contains(",spam-related,"));
    }

    [Fact]
    public async Task The_same_attempt_consumed_twice_is_written_once()
    {
        await using var provider = Services();
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();

        var attempt = Attempt(DeliveryOutcome.Delivered, 250, "2.0.0", "2.0.0 Ok");
        var other = attempt with { AttemptId = Guid.NewGuid(), Recipient = "other@example.net" };
        await harness.Bus.Publish(attempt);
        await harness.Bus.Publish(attempt);
        await harness.Bus.Publish(other);

        var consumer = harness.GetConsumerHarness<DeliveryAttemptedConsumer>();
        var consumed = 0;
        await foreach (var _ in consumer.Consumed.SelectAsync<DeliveryAttempted>())
        {
            if (++consumed == 3) break;
        }
        Assert.Equal(3, consumed);
        Assert.False(await harness.Consumed.Any<DeliveryAttempted>(x => x.Exception is not null));

        var lines = TempDirectory.ReadLines(Path.Combine(_directory.Path, "acct-2026-03-14.csv"));
        Assert.Equal(3, lines.Length);
        Assert.Equal(string.Join(',', AccountingRecord.Fields), lines[0]);
        Assert.Single(lines, l => l.Contains(",rcpt@example.net,"));
        Assert.Single(lines, l => l.Contains(",other@example.net,"));
    }

    [Fact]
    public async Task A_recipient_deleted_by_an_administrator_is_an_admin_b_line_neither_classified_nor_suppressed()
    {
        await using var provider = Services();
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();

        await harness.Bus.Publish(Attempt(DeliveryOutcome.Failed, 0, "5.0.0", "deleted by administrator")
            with { RemoteMta = null, RemoteIp = null, Administrative = "deleted by administrator", AttemptNumber = 0 });

        Assert.True(await harness.GetConsumerHarness<DeliveryAttemptedConsumer>().Consumed.Any<DeliveryAttempted>());
        var line = Assert.Single(TempDirectory.ReadLines(Path.Combine(_directory.Path, "acct-2026-03-14.csv")), l => !l.StartsWith("type,", StringComparison.Ordinal));
        var columns = AccountingRecord.Fields.Zip(CsvLine.Parse(line)).ToDictionary(p => p.First, p => p.Second);
        Assert.Equal(("b", "failed", "5.0.0 (permanent failure)", "deleted by administrator", DeliveryAttemptedConsumer.AdministrativeCategory),
            (columns["type"], columns["dsnAction"], columns["dsnStatus"], columns["dsnDiag"], columns["bounceCat"]));
        Assert.False(await harness.Published.Any<BounceClassified>());
        Assert.Empty(await _suppressions.ListAsync(null, 10, CancellationToken.None));
    }
}
