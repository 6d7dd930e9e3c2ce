using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Contracts;
using Pipeline.Dispatcher.Delivery;
using Pipeline.Dispatcher.Queue;
using Pipeline.Dispatcher.Tests.Support;
using Pipeline.Shared.Configuration;

namespace Pipeline.Dispatcher.Tests.Delivery;

/// <summary>The engine with a real deliverer, a real <see cref="DeferredStore"/> in a temporary folder and a settable
/// clock. Deferrals come from a closed port, deliveries from a <see cref="ScriptedSmtpServer"/>.</summary>
public sealed class DeliveryEngineTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 14, 9, 26, 53, TimeSpan.Zero);
    private readonly TempDirectory _data = new();
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(60));
    private readonly ManualTimeProvider _clock = new(Now);
    private readonly RecordingPublishEndpoint _events = new();
    private readonly ScriptedSmtpServer _server = new();
    private readonly int _closedPort = FreePort.Next();
    private readonly PipelineOptions _options;
    private readonly DeferredStore _store;
    private readonly DeliveryEngine _engine;

    public DeliveryEngineTests()
    {
        // deferred.test goes to a closed port (always deferred), delivered.test to a receiver that takes everything.
        _options = TestPipeline.Options(_data.Path, ("deferred.test", $"127.0.0.1:{_closedPort}"), ("delivered.test", _server.Route));
        _options.Domains["*"] = new DomainOptions { RetryAfter = "15m", BounceAfter = "4d" };
        var policies = new DomainPolicies(_options);
        _store = new DeferredStore(_options, NullLogger<DeferredStore>.Instance);
        _engine = new DeliveryEngine(TestPipeline.Deliverer(_options), _store, policies, _options, _clock,
            NullLogger<DeliveryEngine>.Instance);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _timeout.Dispose();
        _data.Dispose();
    }

    private Task<List<DeferredMessage>> StoredAsync(DateTimeOffset at) => _store.DueAsync(["mta1"], at, _timeout.Token);

    [Fact]
    public async Task A_deferred_recipient_is_stored_for_now_plus_retry_after()
    {
        var message = TestPipeline.Message(["a@deferred.test"], acceptedAt: Now.AddHours(-1));

        await _engine.DeliverAsync(message, message.Recipients, attemptNumber: 1, _events, _timeout.Token);

        var attempt = Assert.Single(_events.Published<DeliveryAttempted>());
        Assert.Equal(DeliveryOutcome.Deferred, attempt.Outcome);
        Assert.Equal("4.4.1", attempt.EnhancedStatus);
        Assert.Equal(Now + TimeSpan.FromMinutes(15), attempt.NextAttemptAt);
        Assert.Equal(Now, attempt.AttemptedAt);
        Assert.Equal(1, attempt.AttemptNumber);

        Assert.Empty(await StoredAsync(Now + TimeSpan.FromMinutes(15) - TimeSpan.FromTicks(1)));
        var stored = Assert.Single(await StoredAsync(Now + TimeSpan.FromMinutes(15)));
        Assert.Equal(message.MessageId, stored.Message.MessageId);
        Assert.Equal(message.Content, stored.Message.Content);
        Assert.Equal(["a@deferred.test"], stored.Recipients);
        Assert.Equal(1, stored.Attempts);
        Assert.Equal(Now + TimeSpan.FromMinutes(15), stored.NextAttemptAt);
    }

    [Fact]
    public async Task A_deferral_past_bounce_after_fails_with_5_4_7_and_is_not_stored()
    {
        var message = TestPipeline.Message(["a@deferred.test"], acceptedAt: Now - TimeSpan.FromDays(4) - TimeSpan.FromMinutes(1));

        await _engine.DeliverAsync(message, message.Recipients, attemptNumber: 30, _events, _timeout.Token);

        var attempt = Assert.Single(_events.Published<DeliveryAttempted>());
        Assert.Equal(DeliveryOutcome.Failed, attempt.Outcome);
        Assert.Equal("5.4.7", attempt.EnhancedStatus);
        Assert.Contains("4d", attempt.Diagnostic);
        Assert.Contains($":{_closedPort}", attempt.Diagnostic);
        Assert.Null(attempt.NextAttemptAt);
        Assert.Empty(await StoredAsync(DateTimeOffset.MaxValue));
    }

    [Fact]
    public async Task A_deferral_just_inside_bounce_after_is_still_deferred()
    {
        var message = TestPipeline.Message(["a@deferred.test"], acceptedAt: Now - TimeSpan.FromDays(4) + TimeSpan.FromMinutes(1));

        await _engine.DeliverAsync(message, message.Recipients, attemptNumber: 30, _events, _timeout.Token);

        Assert.Equal(DeliveryOutcome.Deferred, Assert.Single(_events.Published<DeliveryAttempted>()).Outcome);
        Assert.Single(await StoredAsync(DateTimeOffset.MaxValue));
    }

    [Fact]
    public async Task Only_the_deferred_recipients_are_stored_and_every_recipient_gets_one_event()
    {
        var message = TestPipeline.Message(["a@delivered.test", "b@deferred.test", "c@delivered.test"], acceptedAt: Now.AddMinutes(-5));

        await _engine.DeliverAsync(message, message.Recipients, attemptNumber: 1, _events, _timeout.Token);

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
        var stored = Assert.Single(await StoredAsync(DateTimeOffset.MaxValue));
        Assert.Equal(["b@deferred.test"], stored.Recipients);
        // One transaction per destination domain: both delivered.test recipients in one session.
        var session = Assert.Single(_server.Sessions);
        Assert.Equal(["a@delivered.test", "c@delivered.test"], session.Recipients);
    }

    [Fact]
    public async Task A_retry_that_delivers_the_rest_removes_the_stored_message()
    {
        var message = TestPipeline.Message(["a@delivered.test", "b@delivered.test"], acceptedAt: Now.AddHours(-2));
        await _store.SaveAsync(new DeferredMessage
        {
            Message = message, Recipients = ["b@delivered.test"], Attempts = 1, NextAttemptAt = Now,
        }, _timeout.Token);

        await _engine.DeliverAsync(message, ["b@delivered.test"], attemptNumber: 2, _events, _timeout.Token);

        var attempt = Assert.Single(_events.Published<DeliveryAttempted>());
        Assert.Equal((DeliveryOutcome.Delivered, 2), (attempt.Outcome, attempt.AttemptNumber));
        Assert.Empty(await StoredAsync(DateTimeOffset.MaxValue));
    }

    [Fact]
    public async Task A_retry_that_is_deferred_again_replaces_the_stored_message()
    {
        var message = TestPipeline.Message(["a@delivered.test", "b@deferred.test"], acceptedAt: Now.AddHours(-2));
        await _store.SaveAsync(new DeferredMessage
        {
            Message = message, Recipients = ["a@delivered.test", "b@deferred.test"], Attempts = 1, NextAttemptAt = Now,
        }, _timeout.Token);

        await _engine.DeliverAsync(message, ["a@delivered.test", "b@deferred.test"], attemptNumber: 2, _events, _timeout.Token);

        var stored = Assert.Single(await StoredAsync(DateTimeOffset.MaxValue));
        Assert.Equal(["b@deferred.test"], stored.Recipients);
        Assert.Equal(2, stored.Attempts);
        Assert.Equal(Now + TimeSpan.FromMinutes(15), stored.NextAttemptAt);
    }
}
