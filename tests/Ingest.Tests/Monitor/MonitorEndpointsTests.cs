using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Ingest.Monitor;
using Pipeline.Ingest.Tests.Support;
using Pipeline.Shared.Status;

namespace Pipeline.Ingest.Tests.Monitor;

/// <summary>/monitor, /monitor/fragment and /monitor/data.json on the real Ingest host, reading the board Ingest
/// registered (in process here: no Redis configured) after the test wrote to it as the other services would.</summary>
public sealed class MonitorEndpointsTests : IngestTest
{
    private const string Script = "<script>alert('x')</script>";
    private const string Image = "<img src=x onerror=alert(1)>";
    private readonly HttpClient _http = new();

    public override async Task DisposeAsync()
    {
        _http.Dispose();
        await base.DisposeAsync();
    }

    private IStatusBoard Board => Host.Services.GetRequiredService<IStatusBoard>();

    private async Task FillAsync()
    {
        var now = DateTimeOffset.UtcNow;
        await Board.RecordOutcomeAsync(new OutcomeRecorded("d", now, "ann@example.net", null, "2.0.0", "mta1", "smtp;250 2.0.0 Ok"), default);
        await Board.RecordOutcomeAsync(new OutcomeRecorded("b", now, "bob@example.org", "bad-mailbox", "5.1.1", "mta1",
            $"smtp;550 5.1.1 {Script} \"quoted\" & more"), default);
        await Board.RecordOutcomeAsync(new OutcomeRecorded("f", now, "carl@example.com", "feedback", null, "mta1", "feedback-type=abuse"), default);
        await Board.PublishQueuesAsync(new DispatcherSnapshot("worker-1", now, ["mta1"],
        [
            new QueueSnapshotRow("mta1", "example.org", "example.org", 12, 3, 1, now.AddMinutes(-5), "backoff", "421 4.7.0 too fast",
                2, 2, 0, null, $"451 4.3.0 {Image}", now),
        ]), TimeSpan.FromMinutes(1), default);
    }

    [Fact]
    public async Task The_page_shows_every_section_and_encodes_what_came_from_mail()
    {
        await StartHostAsync(IngestHost.Options("127.0.0.0/8"));
        await FillAsync();

        using var response = await _http.GetAsync(new Uri(Host.HttpBase, "/monitor"), Timeout.Token);
        var html = await response.Content.ReadAsStringAsync(Timeout.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("script-src 'nonce-", response.Headers.GetValues("Content-Security-Policy").Single());
        foreach (var section in new[] { "id=\"overview\"", "id=\"queues\"", "id=\"virtual-mtas\"", "id=\"recent\"" }) Assert.Contains(section, html);
        // The attacker's markup arrives as text, never as markup.
        Assert.DoesNotContain(Script, html);
        Assert.DoesNotContain(Image, html);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &quot;quoted&quot; &amp; more", html);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", html);
        // One script only: the page's own, carrying the nonce of the policy.
        Assert.Single(html.Split("<script").Skip(1));
        Assert.Contains("<tr class=\"queue backoff\"><td>mta1</td><td>example.org</td>", html);
        Assert.Contains("b***@example.org", html);
        Assert.DoesNotContain("bob@example.org", html);
        Assert.Contains("<td>bad-mailbox</td><td>1</td>", html);
        Assert.Contains("<td>mta1</td><td>127.0.0.1</td><td>mta1.example.test</td><td>default</td><td>worker-1</td>", html);
    }

    [Fact]
    public async Task The_fragment_is_the_board_alone()
    {
        await StartHostAsync(IngestHost.Options("127.0.0.0/8"));
        await FillAsync();

        var fragment = await _http.GetStringAsync(new Uri(Host.HttpBase, "/monitor/fragment"), Timeout.Token);

        Assert.DoesNotContain("<html", fragment);
        Assert.DoesNotContain("<script", fragment);
        Assert.Contains("id=\"queues\"", fragment);
        Assert.Contains("data-counter=\"b\">1<", fragment);
    }

    [Fact]
    public async Task The_json_carries_the_same_view_with_values_as_they_are()
    {
        await StartHostAsync(IngestHost.Options("127.0.0.0/8"));
        await FillAsync();

        using var response = await _http.GetAsync(new Uri(Host.HttpBase, "/monitor/data.json"), Timeout.Token);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeout.Token)).RootElement;

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var totals = json.GetProperty("totals").EnumerateArray().ToDictionary(t => t.GetProperty("counter").GetString()!, t => t.GetProperty("total").GetInt64());
        Assert.Equal((1L, 1L, 1L, 0L), (totals["d"], totals["b"], totals["f"], totals["t"]));
        var queue = Assert.Single(json.GetProperty("queues").EnumerateArray());
        Assert.Equal("worker-1", queue.GetProperty("worker").GetString());
        Assert.Equal(12, queue.GetProperty("queue").GetProperty("queued").GetInt64());
        Assert.Equal($"451 4.3.0 {Image}", queue.GetProperty("queue").GetProperty("lastError").GetString());
        Assert.InRange(queue.GetProperty("oldestAgeSeconds").GetInt64(), 299, 3600);
        var vmta = Assert.Single(json.GetProperty("virtualMtas").EnumerateArray());
        Assert.Equal((12L, 3L, 1), (vmta.GetProperty("queued").GetInt64(), vmta.GetProperty("deferred").GetInt64(), vmta.GetProperty("inBackoff").GetInt32()));
        Assert.Equal(2, json.GetProperty("recent").GetArrayLength());
        Assert.Equal(15, json.GetProperty("rates").GetArrayLength());
    }

    [Fact]
    public async Task Accepted_messages_are_counted_per_minute()
    {
        await StartHostAsync(IngestHost.Options("127.0.0.0/8"));
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Host.HttpBase, "/api/v1/messages"))
        {
            Content = new StringContent("""{ "from": "shop@example.com", "to": ["a@example.net"], "subject": "s", "text": "t" }""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", IngestHost.ApiKey);
        Assert.Equal(HttpStatusCode.Accepted, (await _http.SendAsync(request, Timeout.Token)).StatusCode);

        var overview = await Board.ReadAsync(DateTimeOffset.UtcNow, 2, default);

        Assert.Equal(1, overview.Totals[StatusCounter.Accepted]);
        Assert.Equal(1, overview.Minutes.Sum(m => m[StatusCounter.Accepted]));
    }

    [Theory]
    [InlineData(45, "45s")]
    [InlineData(725, "12m05s")]
    [InlineData(12000, "3h20m")]
    [InlineData(187200, "2d04h")]
    public void Ages_read_as_an_operator_reads_them(long seconds, string text) => Assert.Equal(text, MonitorPage.Age(seconds));
}
