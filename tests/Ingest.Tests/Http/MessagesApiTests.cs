using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MimeKit;
using Pipeline.Contracts;
using Pipeline.Ingest.Tests.Support;
using Pipeline.Shared.Configuration;

namespace Pipeline.Ingest.Tests.Http;

/// <summary>POST /api/v1/messages over real HTTP (curl and HttpClient) against the real Kestrel host, with the
/// in-memory harness as the broker.</summary>
public sealed class MessagesApiTests : IngestTest
{
    private readonly HttpClient _http = new();

    public override async Task DisposeAsync()
    {
        _http.Dispose();
        await base.DisposeAsync();
    }

    private async Task StartAsync(Action<PipelineOptions>? configure = null)
    {
        var options = IngestHost.Options("127.0.0.0/8");
        configure?.Invoke(options);
        await StartHostAsync(options);
    }

    private Uri Messages => new(Host.HttpBase, "/api/v1/messages");

    private async Task<HttpResponseMessage> PostJsonAsync(string json, string? key = IngestHost.ApiKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Messages) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await _http.SendAsync(request, Timeout.Token);
    }

    private static MimeMessage Parse(MessageAccepted accepted) => MimeMessage.Load(new MemoryStream(accepted.Content));

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    [Fact]
    public async Task Curl_posts_a_json_message_and_gets_202_with_the_id_of_each_recipient()
    {
        await StartAsync();
        const string json = """
            { "from": "Shop <shop@example.com>", "to": ["ann@example.net", "bob@example.org"], "cc": ["cc@example.net"],
              "subject": "Your order", "text": "Thanks!", "html": "<p>Thanks!</p>",
              "headers": { "X-Campaign-Tag": "spring" }, "virtualMta": "mta1", "jobId": "order-42" }
            """;

        var (exitCode, output) = await CurlAsync("-H", "Content-Type: application/json", "-H", $"Authorization: Bearer {IngestHost.ApiKey}", "--data-binary", json);

        Assert.True(exitCode == 0, output);
        var (status, body) = SplitStatus(output);
        Assert.Equal(202, status);
        var accepted = Assert.Single(Published());
        var ids = JsonDocument.Parse(body).RootElement.GetProperty("messages").EnumerateArray()
            .Select(m => (m.GetProperty("recipient").GetString(), m.GetProperty("id").GetGuid())).ToList();
        Assert.Equal([("ann@example.net", accepted.MessageId), ("bob@example.org", accepted.MessageId), ("cc@example.net", accepted.MessageId)], ids);
        Assert.Equal("shop@example.com", accepted.MailFrom);
        Assert.Equal(["ann@example.net", "bob@example.org", "cc@example.net"], accepted.Recipients);
        Assert.Equal(("mta1", "order-42", "http", "127.0.0.1"), (accepted.VirtualMta, accepted.JobId, accepted.Channel, accepted.ClientAddress));
        var message = Parse(accepted);
        Assert.Equal("Your order", message.Subject);
        Assert.Equal("Thanks!", message.TextBody!.TrimEnd());
        Assert.Equal("<p>Thanks!</p>", message.HtmlBody!.TrimEnd());
        Assert.Equal("spring", message.Headers["X-Campaign-Tag"]);
        Assert.Equal(accepted.HeaderMessageId, message.MessageId);
        Assert.StartsWith("Received: from [127.0.0.1]\r\n\tby ingest.example.test (Pipeline Ingest) with HTTP id", Encoding.UTF8.GetString(accepted.Content));
    }

    [Fact]
    public async Task A_batch_with_variables_becomes_one_personalised_message_per_recipient()
    {
        await StartAsync();
        var request = new
        {
            from = "news@example.com",
            to = new[] { "ann@example.net", "bob@example.net", "cy@example.net" },
            subject = "Hello {{name}}",
            text = "Dear {{name}}, your code is {{code}}. Sent to {{recipient}}.",
            variables = new Dictionary<string, Dictionary<string, string>>
            {
                ["ann@example.net"] = new() { ["name"] = "Ann", ["code"] = "A1" },
                ["bob@example.net"] = new() { ["name"] = "Bob", ["code"] = "B2" },
            },
        };

        var response = await _http.SendAsync(new HttpRequestMessage(HttpMethod.Post, Messages)
        {
            Content = JsonContent.Create(request),
            Headers = { { "X-Api-Key", IngestHost.ApiKey } },
        }, Timeout.Token);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var ids = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("messages").EnumerateArray()
            .ToDictionary(m => m.GetProperty("recipient").GetString()!, m => m.GetProperty("id").GetGuid());
        var published = Published();
        Assert.Equal(3, published.Count);
        Assert.Equal(3, ids.Values.Distinct().Count());
        foreach (var accepted in published)
        {
            var recipient = Assert.Single(accepted.Recipients);
            Assert.Equal(ids[recipient], accepted.MessageId);
            var message = Parse(accepted);
            Assert.Equal(recipient, Assert.Single(message.To.Mailboxes).Address);
            var (name, code) = recipient switch { "ann@example.net" => ("Ann", "A1"), "bob@example.net" => ("Bob", "B2"), _ => ("", "") };
            Assert.Equal($"Hello {name}".TrimEnd(), (message.Subject ?? "").TrimEnd());
            Assert.Equal($"Dear {name}, your code is {code}. Sent to {recipient}.", message.TextBody!.TrimEnd());
        }
    }

    [Fact]
    public async Task Curl_posts_a_raw_message_with_its_envelope_in_the_query_and_it_is_kept_byte_for_byte()
    {
        await StartAsync();
        const string raw = "From: a@example.com\r\nTo: b@example.net\r\nSubject: raw\r\nMessage-ID: <raw.1@example.com>\r\nX-Job: j7\r\n\r\n.line with dot\r\n\r\nend\r\n";
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, raw);
        try
        {
            var (exitCode, output) = await CurlAsync("-H", "Content-Type: message/rfc822", "-H", $"X-Api-Key: {IngestHost.ApiKey}", "--data-binary", $"@{file}",
                "--url-query", "mailFrom=bounce@example.com", "--url-query", "to=b@example.net", "--url-query", "to=c@example.net");

            Assert.True(exitCode == 0, output);
            Assert.Equal(202, SplitStatus(output).Status);
        }
        finally
        {
            File.Delete(file);
        }
        var accepted = Assert.Single(Published());
        Assert.Equal("bounce@example.com", accepted.MailFrom);
        Assert.Equal(["b@example.net", "c@example.net"], accepted.Recipients);
        Assert.Equal("j7", accepted.JobId);
        Assert.Equal("raw.1@example.com", accepted.HeaderMessageId);
        var content = Encoding.UTF8.GetString(accepted.Content);
        Assert.EndsWith(raw.Replace("X-Job: j7\r\n", ""), content);
    }

    [Fact]
    public async Task Attachments_are_built_into_a_multipart_message()
    {
        await StartAsync();
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.4 pretend");
        var json = JsonSerializer.Serialize(new
        {
            from = "a@example.com", to = new[] { "b@example.net" }, subject = "invoice", text = "attached",
            attachments = new[] { new { fileName = "invoice.pdf", contentType = "application/pdf", content = pdf } },
        });

        Assert.Equal(HttpStatusCode.Accepted, (await PostJsonAsync(json)).StatusCode);

        var message = Parse(Assert.Single(Published()));
        var attachment = Assert.Single(message.Attachments.OfType<MimePart>());
        Assert.Equal("invoice.pdf", attachment.FileName);
        Assert.Equal("application/pdf", attachment.ContentType.MimeType);
        using var decoded = new MemoryStream();
        attachment.Content!.DecodeTo(decoded);
        Assert.Equal(pdf, decoded.ToArray());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    public async Task Without_a_valid_api_key_the_answer_is_401(string? key)
    {
        await StartAsync();

        var response = await PostJsonAsync("""{ "from": "a@example.com", "to": ["b@example.net"], "text": "x" }""", key);

        var problem = await ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("API key", problem.GetProperty("detail").GetString());
        Assert.Empty(Published());
    }

    [Theory]
    [InlineData("""{ "from": "a@example.com", "to": ["b@example.net", "not an address"], "text": "x" }""", "to[1]")]
    [InlineData("""{ "to": ["b@example.net"], "text": "x" }""", "from")]
    [InlineData("""{ "from": "a@example.com", "to": [], "text": "x" }""", "to")]
    [InlineData("""{ "from": "a@example.com", "to": ["b@example.net"] }""", "text")]
    [InlineData("""{ "from": "a@example.com", "to": ["b@example.net"], "text": "x", "virtualMta": "nosuch" }""", "virtualMta")]
    [InlineData("""{ "from": "a@example.com", "to": ["b@example.net"], "text": "x", "pool": "nosuch" }""", "pool")]
    [InlineData("""{ "from": "a@example.com", "to": ["b@example.net"], "text": "x", "headers": { "Subject": "sneaky" } }""", "headers.Subject")]
    [InlineData("""{ "from": "a@example.com", "to": ["b@example.net"], "text": "x", "headers": { "X-A": "one\r\nBcc: evil@example.org" } }""", "headers.X-A")]
    [InlineData("""{ "from": "a@example.com", "to": ["b@example.net"], "subjct": "typo", "text": "x" }""", "subjct")]
    [InlineData("""{ "from": "a@example.com", "to": "b@example.net", "text": "x" }""", "to")]
    [InlineData("""{ "from": "a@example.com", "to": ["b@example.net"], "text": "x", "attachments": [ { "fileName": "a.txt" } ] }""", "attachments[0].content")]
    [InlineData("""{ "from": "a@example.com", "to": ["b@example.net"], "batch": true, "cc": ["c@example.net"], "text": "x" }""", "cc")]
    [InlineData("""{ "from": "a@example.com", "to": ["b@example.net"], "text": "x" """, "body")]
    public async Task A_bad_message_gets_400_problem_json_naming_the_field(string json, string field)
    {
        await StartAsync();

        var response = await PostJsonAsync(json);

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"no error for '{field}' in {errors}");
        Assert.Empty(Published());
    }

    [Fact]
    public async Task More_recipients_than_the_limit_get_400()
    {
        await StartAsync();
        var json = JsonSerializer.Serialize(new { from = "a@example.com", to = Enumerable.Range(0, 1001).Select(i => $"r{i}@example.net"), text = "x", batch = true });

        var problem = await ProblemAsync(await PostJsonAsync(json), HttpStatusCode.BadRequest);

        Assert.Contains("at most 1000", problem.GetProperty("errors").GetProperty("to")[0].GetString());
    }

    [Fact]
    public async Task A_raw_message_over_the_size_limit_gets_413()
    {
        await StartAsync(o => o.Ingest.Smtp.MaxMessageBytes = 1000);
        var request = new HttpRequestMessage(HttpMethod.Post, Messages + "?mailFrom=a@example.com&to=b@example.net")
        {
            Content = new ByteArrayContent(Encoding.ASCII.GetBytes("Subject: big\r\n\r\n" + new string('x', 2000) + "\r\n")),
            Headers = { { "X-Api-Key", IngestHost.ApiKey } },
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");

        var problem = await ProblemAsync(await _http.SendAsync(request, Timeout.Token), HttpStatusCode.RequestEntityTooLarge);

        Assert.Contains("1000", problem.GetProperty("detail").GetString());
        Assert.Empty(Published());
    }

    [Fact]
    public async Task A_built_message_over_the_size_limit_gets_413()
    {
        await StartAsync(o => o.Ingest.Smtp.MaxMessageBytes = 2000);
        var json = JsonSerializer.Serialize(new
        {
            from = "a@example.com", to = new[] { "b@example.net" }, text = "x",
            attachments = new[] { new { fileName = "big.bin", content = new byte[1500] } },
        });

        await ProblemAsync(await PostJsonAsync(json), HttpStatusCode.RequestEntityTooLarge);
        Assert.Empty(Published());
    }

    [Fact]
    public async Task Another_content_type_gets_415()
    {
        await StartAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, Messages)
        {
            Content = new StringContent("hello", Encoding.UTF8, "text/plain"),
            Headers = { { "X-Api-Key", IngestHost.ApiKey } },
        };

        await ProblemAsync(await _http.SendAsync(request, Timeout.Token), HttpStatusCode.UnsupportedMediaType);
    }

    /// <summary>curl with -w appending the status on a line of its own.</summary>
    private async Task<(int ExitCode, string Output)> CurlAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-sS", "-X", "POST", "-w", "\n%{http_code}", "--max-time", "30" }) start.ArgumentList.Add(a);
        foreach (var a in arguments) start.ArgumentList.Add(a);
        start.ArgumentList.Add(Messages.ToString());
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(Timeout.Token);
        await process.WaitForExitAsync(Timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static (int Status, string Body) SplitStatus(string output)
    {
        int last = output.LastIndexOf('\n');
        return (int.Parse(output[(last + 1)..].Trim()), output[..last]);
    }
}
