using MassTransit.Testing;
using Pipeline.Contracts;
using Pipeline.Shared.Configuration;

namespace Pipeline.Ingest.Tests.Support;

/// <summary>A test class with one <see cref="IngestHost"/> per test: a time limit for the whole test, the host,
/// what it published, and the SMTP steps every transcript repeats.</summary>
public abstract class IngestTest : IAsyncLifetime
{
    private IngestHost? _host;

    /// <summary>Ends a test that hangs (a reply that never comes) instead of blocking the run.</summary>
    protected CancellationTokenSource Timeout { get; } = new(TimeSpan.FromSeconds(60));

    protected IngestHost Host => _host ?? throw new InvalidOperationException("the test has not started its host");

    protected async Task<IngestHost> StartHostAsync(PipelineOptions options, string? rabbitMq = null) =>
        _host = await IngestHost.StartAsync(options, rabbitMq);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
        Timeout.Dispose();
    }

    /// <summary>Every MessageAccepted the host published to the in-memory harness.</summary>
    protected List<MessageAccepted> Published() =>
        Host.Harness.Published.Select<MessageAccepted>().Select(m => m.Context.Message).ToList();

    protected async Task<bool> AnyPublishedAsync() => await Host.Harness.Published.Any<MessageAccepted>();

    /// <summary>MAIL FROM, RCPT TO for each recipient (each must get 250) and DATA (354).</summary>
    protected static async Task OpenDataAsync(SmtpLineClient client, string mailFrom, params string[] recipients)
    {
        Assert.Equal(250, (await client.CommandAsync($"MAIL FROM:<{mailFrom}>")).Code);
        foreach (var recipient in recipients)
            Assert.Equal(250, (await client.CommandAsync($"RCPT TO:<{recipient}>")).Code);
        Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
    }
}
