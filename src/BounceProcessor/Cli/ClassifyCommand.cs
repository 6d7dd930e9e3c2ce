using System.Text.Json;
using System.Text.Json.Serialization;
using Pipeline.BounceProcessor.Classification;
using Pipeline.BounceProcessor.Reports;

namespace Pipeline.BounceProcessor.Cli;

/// <summary>The <c>classify</c> verb: classification without the pipeline running, one JSON object per line.
/// <c>classify FILE...</c> (one line per recipient record of each message), <c>classify --reply "550 ..."</c>,
/// <c>classify --replies FILE</c> (one line per input line, in order). Options: <c>--rules FILE</c>.</summary>
public static class ClassifyCommand
{
    public const string Verb = "classify";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private const string Usage = """
        usage: BounceProcessor classify FILE...            one JSON line per recipient record of each message
               BounceProcessor classify --reply "550 ..."  one JSON line for that SMTP reply
               BounceProcessor classify --replies FILE     one JSON line per line of FILE ('-' for standard input)
        option: --rules FILE   use this rules file instead of the shipped Classification/bounce-rules.json
        """;

    /// <summary>Runs the verb; returns the process exit code (0 ok, 64 usage, 66 unreadable input, 78 bad rules).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        string? rulesFile = null, reply = null, repliesFile = null;
        var files = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--rules" when i + 1 < args.Length: rulesFile = args[++i]; break;
                case "--reply" when i + 1 < args.Length: reply = args[++i]; break;
                case "--replies" when i + 1 < args.Length: repliesFile = args[++i]; break;
                case "-h" or "--help":
                    await stdout.WriteLineAsync(Usage).ConfigureAwait(false);
                    return 0;
                default:
                    if (args[i].StartsWith("--", StringComparison.Ordinal))
                    {
                        await stderr.WriteLineAsync($"classify: unknown or incomplete option '{args[i]}'\n{Usage}").ConfigureAwait(false);
                        return 64;
                    }
                    files.Add(args[i]);
                    break;
            }
        }
        if (reply is null && repliesFile is null && files.Count == 0)
        {
            await stderr.WriteLineAsync($"classify: nothing to classify\n{Usage}").ConfigureAwait(false);
            return 64;
        }

        ReplyClassifier classifier;
        try
        {
            classifier = new ReplyClassifier(rulesFile is null ? BounceRuleSet.LoadDefault() : BounceRuleSet.Load(rulesFile));
        }
        catch (BounceRulesException e)
        {
            await stderr.WriteLineAsync($"classify: {e.Message}").ConfigureAwait(false);
            return 78;
        }

        if (reply is not null) await WriteAsync(stdout, ReplyLine(null, reply, classifier.Classify(reply))).ConfigureAwait(false);
        if (repliesFile is not null)
        {
            try
            {
                using var reader = repliesFile == "-" ? new StreamReader(Console.OpenStandardInput()) : new StreamReader(repliesFile);
                while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
                    await WriteAsync(stdout, ReplyLine(repliesFile, line, classifier.Classify(line))).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                await stderr.WriteLineAsync($"classify: cannot read '{repliesFile}': {e.Message}").ConfigureAwait(false);
                return 66;
            }
        }

        var parser = new InboundReportParser(classifier);
        var exit = 0;
        foreach (var file in files)
        {
            byte[] raw;
            try
            {
                raw = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"classify: cannot read '{file}': {e.Message}").ConfigureAwait(false);
                exit = 66;
                continue;
            }
            InboundReport report;
            try
            {
                report = parser.Parse(raw);
            }
            catch (FormatException e)
            {
                await stderr.WriteLineAsync($"classify: '{file}' is not a mail message: {e.Message}").ConfigureAwait(false);
                exit = 65;
                continue;
            }
            if (report.Recipients.Count == 0)
                await stderr.WriteLineAsync($"classify: '{file}': no recipient record found").ConfigureAwait(false);
            foreach (var record in report.Recipients)
                await WriteAsync(stdout, new ClassifyLine
                {
                    File = file,
                    Recipient = record.Recipient,
                    Kind = record.Kind,
                    Category = record.Category,
                    Hard = record.IsHard,
                    Status = record.Status,
                    ReplyCode = record.ReplyCode == 0 ? null : record.ReplyCode,
                    Diagnostic = record.Diagnostic,
                    RemoteMta = record.RemoteMta,
                    FeedbackType = report.Feedback?.FeedbackType,
                    OriginalMailFrom = report.Feedback?.OriginalMailFrom,
                    SourceIp = report.Feedback?.SourceIp,
                    Rule = record.RuleId,
                }).ConfigureAwait(false);
        }
        return exit;
    }

    private static ClassifyLine ReplyLine(string? file, string reply, ReplyClassification result) => new()
    {
        File = file,
        Kind = ReportKind.Bounce,
        Category = result.Category,
        Hard = result.IsHard,
        Status = result.EnhancedStatus,
        ReplyCode = result.SmtpCode == 0 ? null : result.SmtpCode,
        Diagnostic = reply,
        Rule = result.RuleId,
        Backoff = result.IsBackoff,
    };

    private static Task WriteAsync(TextWriter stdout, ClassifyLine line) => stdout.WriteLineAsync(JsonSerializer.Serialize(line, Json));
}
