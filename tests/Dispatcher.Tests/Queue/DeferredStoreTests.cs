using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Dispatcher.Queue;
using Pipeline.Dispatcher.Tests.Support;

namespace Pipeline.Dispatcher.Tests.Queue;

public sealed class DeferredStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 3, 14, 9, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _data = new();
    private readonly DeferredStore _store;

    public DeferredStoreTests() =>
        _store = new DeferredStore(TestPipeline.Options(_data.Path), NullLogger<DeferredStore>.Instance);

    public void Dispose() => _data.Dispose();

    private string Folder => Path.Combine(_data.Path, "deferred");

    private static DeferredMessage Deferred(string virtualMta, DateTimeOffset next, params string[] recipients) => new()
    {
        Message = TestPipeline.Message(recipients, virtualMta, acceptedAt: Now.AddHours(-1)),
        Recipients = recipients,
        Attempts = 3,
        NextAttemptAt = next,
    };

    [Fact]
    public async Task A_saved_message_comes_back_whole_once_it_is_due()
    {
        var saved = Deferred("mta1", Now.AddMinutes(10), "a@example.test", "b@example.test");

        await _store.SaveAsync(saved, CancellationToken.None);

        Assert.Empty(await _store.DueAsync(["mta1"], Now.AddMinutes(9), CancellationToken.None));
        var due = Assert.Single(await _store.DueAsync(["mta1"], Now.AddMinutes(10), CancellationToken.None));
        Assert.Equal(saved.Recipients, due.Recipients);
        Assert.Equal(saved.Attempts, due.Attempts);
        Assert.Equal(saved.NextAttemptAt, due.NextAttemptAt);
        Assert.Equal(saved.Message.MessageId, due.Message.MessageId);
        Assert.Equal(saved.Message.AcceptedAt, due.Message.AcceptedAt);
        Assert.Equal(saved.Message.MailFrom, due.Message.MailFrom);
        Assert.Equal(saved.Message.Recipients, due.Message.Recipients);
        Assert.Equal(saved.Message.VirtualMta, due.Message.VirtualMta);
        Assert.Equal(saved.Message.JobId, due.Message.JobId);
        Assert.Equal(saved.Message.HeaderMessageId, due.Message.HeaderMessageId);
        Assert.Equal(saved.Message.Content, due.Message.Content);
        Assert.Empty(Directory.GetFiles(Folder, "*.tmp"));
    }

    [Fact]
    public async Task Only_the_requested_virtual_mtas_are_returned_in_any_case()
    {
        await _store.SaveAsync(Deferred("mta1", Now, "a@example.test"), CancellationToken.None);
        await _store.SaveAsync(Deferred("MTA2", Now, "b@example.test"), CancellationToken.None);

        var mta1 = Assert.Single(await _store.DueAsync(["mta1"], Now, CancellationToken.None));
        Assert.Equal(["a@example.test"], mta1.Recipients);
        var mta2 = Assert.Single(await _store.DueAsync(["Mta2"], Now, CancellationToken.None));
        Assert.Equal(["b@example.test"], mta2.Recipients);
        Assert.Equal(2, (await _store.DueAsync(["mta1", "mta2"], Now, CancellationToken.None)).Count);
        Assert.Empty(await _store.DueAsync(["mta3"], Now, CancellationToken.None));
    }

    [Fact]
    public async Task A_virtual_mta_name_with_dots_is_found_by_its_whole_name()
    {
        await _store.SaveAsync(Deferred("mta1.example.test", Now, "a@example.test"), CancellationToken.None);
        await _store.SaveAsync(Deferred("mta1", Now, "b@example.test"), CancellationToken.None);

        var dotted = Assert.Single(await _store.DueAsync(["mta1.example.test"], Now, CancellationToken.None));
        Assert.Equal("mta1.example.test", dotted.Message.VirtualMta);
        var plain = Assert.Single(await _store.DueAsync(["mta1"], Now, CancellationToken.None));
        Assert.Equal("mta1", plain.Message.VirtualMta);
    }

    [Fact]
    public async Task Saving_again_replaces_the_earlier_version()
    {
        var first = Deferred("mta1", Now, "a@example.test", "b@example.test");
        await _store.SaveAsync(first, CancellationToken.None);

        await _store.SaveAsync(first with { Recipients = ["b@example.test"], Attempts = 4, NextAttemptAt = Now.AddHours(1) }, CancellationToken.None);

        Assert.Empty(await _store.DueAsync(["mta1"], Now, CancellationToken.None));
        var due = Assert.Single(await _store.DueAsync(["mta1"], Now.AddHours(1), CancellationToken.None));
        Assert.Equal(["b@example.test"], due.Recipients);
        Assert.Equal(4, due.Attempts);
    }

    [Fact]
    public async Task A_removed_message_is_gone()
    {
        var saved = Deferred("mta1", Now, "a@example.test");
        await _store.SaveAsync(saved, CancellationToken.None);

        _store.Remove(saved.Message.MessageId, "MTA1");

        Assert.Empty(await _store.DueAsync(["mta1"], DateTimeOffset.MaxValue, CancellationToken.None));
        Assert.Empty(Directory.GetFiles(Folder));
        // Removing what is not there is not an error.
        _store.Remove(saved.Message.MessageId, "mta1");
    }

    [Theory]
    [InlineData("{ this is not json")]
    [InlineData("")]
    [InlineData("{\"Recipients\": []}")]
    public async Task A_corrupt_file_is_moved_aside_and_the_rest_still_comes_back(string corruptText)
    {
        var good = Deferred("mta1", Now, "a@example.test");
        await _store.SaveAsync(good, CancellationToken.None);
        var corrupt = Path.Combine(Folder, $"mta1.{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(corrupt, corruptText);

        var due = await _store.DueAsync(["mta1"], Now, CancellationToken.None);

        Assert.Equal(good.Message.MessageId, Assert.Single(due).Message.MessageId);
        Assert.False(File.Exists(corrupt));
        Assert.Equal(corruptText, await File.ReadAllTextAsync(corrupt + ".corrupt"));
        // Moved aside once, it is not read again.
        Assert.Single(await _store.DueAsync(["mta1"], Now, CancellationToken.None));
    }
}
