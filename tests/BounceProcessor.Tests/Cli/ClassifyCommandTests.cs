using System.Text.Json.Nodes;
using Pipeline.BounceProcessor.Cli;
using Pipeline.BounceProcessor.Tests.Support;

namespace Pipeline.BounceProcessor.Tests.Cli;

public sealed class ClassifyCommandTests
{
    private static async Task<(int Exit, List<JsonObject> Lines, string Errors)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await ClassifyCommand.RunAsync(args, stdout, stderr);
        var lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        return (exit, lines, stderr.ToString());
    }

    [Fact]
    public async Task A_reply_gives_one_camel_case_line()
    {
        var (exit, lines, _) = await RunAsync("--reply", "550 5.1.1 <a@b.c>: Recipient address rejected");

        Assert.Equal(0, exit);
        var line = Assert.Single(lines);
        Assert.Equal("bad-mailbox", (string?)line["category"]);
        Assert.True((bool)line["hard"]!);
        Assert.Equal("5.1.1", (string?)line["status"]);
        Assert.Equal(550, (int)line["replyCode"]!);
        Assert.Equal("bounce", (string?)line["kind"]);
    }

    [Fact]
    public async Task A_replies_file_gives_one_line_per_input_line_in_order()
    {
        using var directory = new TempDirectory();
        var file = Path.Combine(directory.Path, "replies.txt");
        File.WriteAllLines(file, ["452 4.2.2 Mailbox full", "", "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred"]);

        var (exit, lines, _) = await RunAsync("--replies", file);

        Assert.Equal(0, exit);
        Assert.Equal(["quota-issues", "other", "spam-related"], lines.Select(l => (string?)l["category"]));
        Assert.True((bool)lines[2]["backoff"]!);
    }

    [Fact]
    public async Task Message_files_give_one_line_per_recipient_record()
    {
        var (exit, lines, _) = await RunAsync(Corpus.Path("bounces", "lhost-qmail-02.eml"), Corpus.Path("arf", "sisimai--arf-18.eml"));

        Assert.Equal(0, exit);
        Assert.Equal(3, lines.Count);
        Assert.Equal(["bounce", "bounce", "feedback"], lines.Select(l => (string?)l["kind"]));
        Assert.Equal("auth-failure", (string?)lines[2]["feedbackType"]);
        Assert.Equal("192.0.2.222", (string?)lines[2]["sourceIp"]);
        Assert.Equal("sironeko@example.org", (string?)lines[2]["originalMailFrom"]);
        Assert.All(lines, l => Assert.NotNull((string?)l["file"]));
    }

    [Theory]
    [InlineData(64, "--bogus")]
    [InlineData(64)]
    [InlineData(66, "/nonexistent/file.eml")]
    [InlineData(78, "--rules", "/nonexistent/rules.json", "--reply", "550 x")]
    public async Task Bad_input_gets_an_exit_code_and_a_message(int expected, params string[] args)
    {
        var (exit, _, errors) = await RunAsync(args);

        Assert.Equal(expected, exit);
        Assert.StartsWith("classify: ", errors, StringComparison.Ordinal);
    }
}
