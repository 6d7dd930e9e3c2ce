using BenchmarkDotNet.Attributes;
using Pipeline.BounceProcessor.Classification;
using Pipeline.BounceProcessor.Reports;

namespace Pipeline.BounceProcessor.Benchmarks;

/// <summary>DSN messages parsed (and each recipient classified) per second on one core: every bounce message of
/// the shared corpus (../shared/corpus/bounces: RFC 3464 and 60-odd non-standard formats), read into memory first.</summary>
[MemoryDiagnoser]
public class DsnParserBenchmarks
{
    private byte[][] _messages = [];
    private InboundReportParser _parser = null!;

    [GlobalSetup]
    public void Setup()
    {
        var corpus = Environment.GetEnvironmentVariable("PIPELINE_CORPUS") is { Length: > 0 } configured
            ? configured : Path.Combine(Directory.GetCurrentDirectory(), "..", "shared", "corpus");
        var folder = Path.Combine(corpus, "bounces");
        _messages = [.. Directory.EnumerateFiles(folder, "*.eml").Order(StringComparer.Ordinal).Select(File.ReadAllBytes)];
        if (_messages.Length == 0) throw new InvalidOperationException($"no .eml files in {folder}");
        _parser = new InboundReportParser(new ReplyClassifier(BounceRuleSet.LoadDefault()));
    }

    /// <summary>One operation = one message; an invocation parses the whole corpus once.</summary>
    [Benchmark(OperationsPerInvoke = 279)]
    public int ParseCorpus()
    {
        var records = 0;
        for (var i = 0; i < 279; i++) records += _parser.Parse(_messages[i % _messages.Length]).Recipients.Count;
        return records;
    }
}
