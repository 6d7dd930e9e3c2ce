using BenchmarkDotNet.Attributes;
using Pipeline.BounceProcessor.Classification;

namespace Pipeline.BounceProcessor.Benchmarks;

/// <summary>Replies classified per second on one core: the shipped rules over a mix of provider replies (bad
/// mailbox, throttles, policy blocks, unknown wordings that fall through every rule).</summary>
[MemoryDiagnoser]
public class ReplyClassifierBenchmarks
{
    private static readonly string[] Replies =
    [
        "550 5.1.1 <kijitora@example.jp>: Recipient address rejected: User unknown in virtual mailbox table",
        "421 4.7.0 [TSS04] Messages from 192.0.2.25 temporarily deferred due to unexpected volume or user complaints",
        "550 5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM.",
        "452 4.2.2 The recipient's inbox is out of storage space. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaTemp",
        "550 5.7.1 Service unavailable, Client host [192.0.2.1] blocked using Spamhaus. To request removal from this list see https://www.spamhaus.org",
        "451 4.7.650 The mail server [192.0.2.2] has been temporarily rate limited due to IP reputation.",
        "554 5.7.9 Message not accepted for policy reasons. See https://postmaster.yahooinc.com/error-codes",
        "550 Requested action not taken: mailbox unavailable",
        "421 Too many connections from your host",
        "250 2.0.0 Ok: queued as 4XyZ1b2c3d (a success, which no rule names)",
    ];

    private ReplyClassifier _classifier = null!;

    [GlobalSetup]
    public void Setup() => _classifier = new ReplyClassifier(BounceRuleSet.LoadDefault());

    /// <summary>One operation = the ten replies above.</summary>
    [Benchmark(OperationsPerInvoke = 10)]
    public int ClassifyReplies()
    {
        var hard = 0;
        foreach (var reply in Replies)
            if (_classifier.Classify(reply).IsHard) hard++;
        return hard;
    }
}
