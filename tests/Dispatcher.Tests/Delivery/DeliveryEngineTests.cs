using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Contracts;
using Pipeline.Dispatcher.Delivery;
using Pipeline.Dispatcher.Spool;
using Pipeline.Dispatcher.Tests.Spool;
using Pipeline.Dispatcher.Tests.Support;
using Pipeline.Shared.Configuration;

namespace Pipeline.Dispatcher.Tests.Delivery;

/// <summary>The engine with a real deliverer, a real spool in a temporary folder and a settable clock. Deferrals come
/// from a closed port, deliveries from a <see cref="ScriptedSmtpServer"/>.</summary>
public sealed class DeliveryEngineTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = SpoolFixture.Start;
    private readonly SpoolFixture _fixture = new();
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(60));
    private readonly RecordingPublishEndpoint _events = new();
    private readonly ScriptedSmtpServer _server = new();
    private readonly int _closedPort = FreePort.Next();
    private readonly DeliveryEngine _engine;
    private readonly SmtpDeliverer _deliverer;
    private Pipeline.Dispatcher.Spool.Spool _spool = null!;

    public DeliveryEngineTests()
    {
        // deferred.test goes to a closed port (always deferred), delivered.test to a receiver that takes everything.
        var options = TestPipeline.Options(null, ("deferred.test", $"127.0.0.1:{_closedPort}"), ("delivered.test", _server.Route));
        options.Domains["*"] = new DomainOptions { RetryAfter = "15m", BounceAfter = "4d" };
        _deliverer = TestPipeline.Deliverer(options);
        _engine = new DeliveryEngine(new DomainPolicies(options), options, _fixture.Clock, NullLogger<DeliveryEngine>.Instance);
    }

    public Task InitializeAsync()
    {
        _spool = _fixture.Open();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _timeout.Dispose();
        await _fixture.DisposeAsync();
    }

    /// <summary>Stores the message and delivers everything due now, as the scheduler does.</summary>
    private async Task StoreAndDeliverAsync(MessageSigned message)
    {
        await _spool.StoreAsync(message, _timeout.Token);
        await DeliverDueAsync();
    }

    private async Task DeliverDueAsync()
    {
        foreach (var work in _spool.TakeDue(100))
        {
            var results = _engine.Expired(work)
                ?? await _deliverer.DeliverAsync(work.Message, work.Domain, work.Recipients.Select(r => r.Address).ToList(), _timeout.Token);
            await _engine.RecordAsync(work, results, _spool, _events, retryDelay: null, _timeout.Token);
        }
    }

    [Fact]
    public async Task A_deferred_recipient_waits_in_the_spool_until_now_plus_retry_after()
    {
        var message = TestPipeline.Message(["a@deferred.test"], acceptedAt: Now.AddHours(-1));

        await StoreAndDeliverAsync(message);

        var attempt = Assert.Single(_events.Published<DeliveryAttempted>());
        Assert.Equal(DeliveryOutcome.Deferred, attempt.Outcome);
        Assert.Equal("4.4.1", attempt.EnhancedStatus);
        Assert.Equal(Now + TimeSpan.FromMinutes(15), attempt.NextAttemptAt);
        Assert.Equal(Now, attempt.AttemptedAt);
        Assert.Equal(1, attempt.AttemptNumber);
        Assert.Equal(Now + TimeSpan.FromMinutes(15), _spool.NextDueAt);
        Assert.Empty(_spool.TakeDue(10));

        _fixture.Clock.UtcNow = Now + TimeSpan.FromMinutes(15);
        await DeliverDueAsync();
        var second = _events.Published<DeliveryAttempted>()[1];
        Assert.Equal((DeliveryOutcome.Deferred, 2), (second.Outcome, second.AttemptNumber));
    }

    [Fact]
    public async Task A_deferral_whose_retry_would_come_after_bounce_after_fails_with_5_4_7_and_leaves_the_spool()
    {
        var message = TestPipeline.Message(["a@deferred.test"], acceptedAt: Now - TimeSpan.FromDays(4) + TimeSpan.FromMinutes(14));

        await StoreAndDeliverAsync(message);

        var attempt = Assert.Single(_events.Published<DeliveryAttempted>());
        Assert.Equal(DeliveryOutcome.Failed, attempt.Outcome);
        Assert.Equal("5.4.7", attempt.EnhancedStatus);
        Assert.Contains("4d", attempt.Diagnostic);
        Assert.Contains($":{_closedPort}", attempt.Diagnostic);
        Assert.Null(attempt.NextAttemptAt);
        Assert.Equal(0, _spool.MessageCount);
    }

    [Fact]
    public async Task A_recipient_already_expired_when_due_fails_with_5_4_7_without_an_attempt()
    {
        var message = TestPipeline.Message(["a@delivered.test"], acceptedAt: Now - TimeSpan.FromDays(4) - TimeSpan.FromMinutes(1));

        await StoreAndDeliverAsync(message);

        var attempt = Assert.Single(_events.Published<DeliveryAttempted>());
        Assert.Equal((DeliveryOutcome.Failed, "5.4.7"), (attempt.Outcome, attempt.EnhancedStatus));
        Assert.Contains("expired after 4d", attempt.Diagnostic);
        Assert.Empty(_server.Sessions);
        Assert.Equal(0, _spool.MessageCount);
    }

    [Fact]
    public async Task A_deferral_whose_retry_comes_just_at_bounce_after_is_still_deferred()
    {
        var message = TestPipeline.Message(["a@deferred.test"], acceptedAt: Now - TimeSpan.FromDays(4) + TimeSpan.FromMinutes(15));

        await StoreAndDeliverAsync(message);

        Assert.Equal(DeliveryOutcome.Deferred, Assert.Single(_events.Published<DeliveryAttempted>()).Outcome);
        Assert.Equal(1L, _spool.RecipientCount);
    }

    [Fact]
    public async Task Only_the_deferred_recipients_stay_and_every_recipient_gets_one_event()
    {
        var message = TestPipeline.Message(["a@delivered.test", "b@deferred.test", "c@delivered.test"], acceptedAt: Now.AddMinutes(-5));

        await StoreAndDeliverAsync(message);

        var attempts = _events.Published<DeliveryAttempted>();
        Assert.Equal(["a@delivered.test", "b@deferred.test", "c@delivered.test"], attempts.Select(a => a.Recipient).Order());
        Assert.All(attempts, a =>
        {
            Assert.Equal(message.MessageId, a.MessageId);
            Assert.Equal("mta1", a.VirtualMta);
            Assert.Equal("127.0.0.1", a.SourceIp);
            Assert.Equal("job-7", a.JobId);
            Assert.Equal("m1@example.com", a.HeaderMessageId);
            Assert.Equal(message.AcceptedAt, a.QueuedAt);
            Assert.NotEqual(Guid.Empty, a.AttemptId);
        });
        Assert.Equal(3, attempts.Select(a => a.AttemptId).Distinct().Count());
        Assert.All(attempts.Where(a => a.Recipient.EndsWith("@delivered.test")), a =>
        {
            Assert.Equal(DeliveryOutcome.Delivered, a.Outcome);
            Assert.Null(a.NextAttemptAt);
        });
        var waiting = Assert.Single(_spool.Inspect());
        Assert.Equal(("deferred.test", 1L), (waiting.Domain, waiting.Deferred));
        // One transaction per destination domain: both delivered.test recipients in one session.
        var session = Assert.Single(_server.Sessions);
        Assert.Equal(["a@delivered.test", "c@delivered.test"], session.Recipients);
        Assert.Equal(message.Content, session.Data);
    }

    [Fact]
    public async Task Outcomes_are_in_the_spool_before_the_events_so_a_restart_does_not_deliver_again()
    {
        var message = TestPipeline.Message(["a@delivered.test", "b@deferred.test"], acceptedAt: Now.AddMinutes(-5));

        await StoreAndDeliverAsync(message);
        _spool = await _fixture.ReopenAsync();
        _fixture.Clock.UtcNow = Now.AddHours(1);
        await DeliverDueAsync();

        Assert.Single(_server.Sessions);
        var retried = _events.Published<DeliveryAttempted>().Where(a => a.AttemptNumber == 2).ToList();
        Assert.Equal("b@deferred.test", Assert.Single(retried).Recipient);
    }
}
