using System.Text;
using MimeKit;
using Pipeline.Shared.Configuration;
using Pipeline.Signer.Dkim;
using Pipeline.Signer.Tests.Support;

namespace Pipeline.Signer.Tests.Dkim;

public sealed class MessageSignerTests(SigningKeys keys) : IClassFixture<SigningKeys>
{
    [Theory]
    [MemberData(nameof(SampleMessages.Names), MemberType = typeof(SampleMessages))]
    public void Signature_verifies(string sample)
    {
        var original = SampleMessages.All[sample];

        var result = SigningKeys.Signer(keys.RsaS1).Sign(original);

        Assert.Equal("example.test", result.AuthorDomain);
        Assert.Equal(["d=example.test; s=s1; a=rsa-sha256"], result.Signatures);
        Assert.Equal([true], DkimCheck.VerifyAll(result.Content, keys.Locator));
    }

    [Theory]
    [MemberData(nameof(SampleMessages.Names), MemberType = typeof(SampleMessages))]
    public void Output_is_the_signature_header_followed_by_the_original_bytes(string sample)
    {
        var original = SampleMessages.All[sample];

        var signed = SigningKeys.Signer(keys.RsaS1).Sign(original).Content;

        Assert.True(signed.Length > original.Length);
        Assert.Equal(original, signed[^original.Length..]);
        var prefix = Encoding.ASCII.GetString(signed, 0, signed.Length - original.Length);
        AssertSignatureHeaderLines(prefix, expectedSignatures: 1);
    }

    [Fact]
    public void Signature_header_names_the_key_the_canonicalization_and_the_headers_present()
    {
        var signed = SigningKeys.Signer(keys.RsaS1).Sign(SampleMessages.SimpleText).Content;

        using var stream = new MemoryStream(signed);
        var message = MimeMessage.Load(stream);
        var header = message.Headers[0];
        Assert.Equal(HeaderId.DkimSignature, header.Id);
        var tags = DkimCheck.Tags(header.Value);
        Assert.Equal("1", tags["v"]);
        Assert.Equal("rsa-sha256", tags["a"]);
        Assert.Equal("example.test", tags["d"]);
        Assert.Equal("s1", tags["s"]);
        Assert.Equal("relaxed/relaxed", tags["c"]);
        // Present fields once per instance; From, To, Subject, Date, Message-ID and the List-Unsubscribe pair once
        // more, so that one added in transit breaks the signature.
        Assert.Equal(
            ["from", "from", "to", "to", "subject", "subject", "date", "date", "message-id", "message-id",
             "mime-version", "content-type", "list-unsubscribe", "list-unsubscribe-post"],
            tags["h"].ToLowerInvariant().Split(':'));
        Assert.False(tags.ContainsKey("l"), "a body length limit would let anyone append to the signed body");
    }

    [Fact]
    public void Content_fields_of_the_top_level_entity_are_signed()
    {
        var signed = SigningKeys.Signer(keys.RsaS1).Sign(SampleMessages.EightBitBody).Content;

        using var stream = new MemoryStream(signed);
        var signedFields = DkimCheck.Tags(MimeMessage.Load(stream).Headers[HeaderId.DkimSignature]!)["h"].ToLowerInvariant().Split(':');
        Assert.Contains("content-type", signedFields);
        Assert.Contains("content-transfer-encoding", signedFields);

        // Signed means covered: changing the declared charset breaks the signature.
        var recharset = DkimCheck.Replace(signed, "charset=utf-8", "charset=iso-8859-1");
        Assert.Equal([false], DkimCheck.VerifyAll(recharset, keys.Locator));
    }

    [Fact]
    public void Mail_from_a_domain_without_a_key_passes_through_unchanged()
    {
        var original = SampleMessages.From("Carol <carol@unsigned.example>");

        var result = SigningKeys.Signer(keys.RsaS1, keys.Other).Sign(original);

        Assert.Equal(original, result.Content);
        Assert.Empty(result.Signatures);
        Assert.Equal("unsigned.example", result.AuthorDomain);
        Assert.Empty(DkimCheck.VerifyAll(result.Content, keys.Locator));
    }

    [Theory]
    [InlineData("To: bob@example.org\r\nSubject: anonymous\r\n\r\nBody\r\n", "no From header field")]
    [InlineData("From: a@example.test\r\nFrom: b@example.test\r\n\r\nBody\r\n", "2 From header fields")]
    [InlineData("From: undisclosed\r\n\r\nBody\r\n", "no address with a domain")]
    [InlineData("From: a@example.test\r\nThis is not a header\r\n\r\nBody\r\n", "header line 2 has no colon")]
    [InlineData(" folded: first\r\nFrom: a@example.test\r\n\r\nBody\r\n", "starts with a continuation line")]
    [InlineData("\r\nBody without headers\r\n", "no header fields")]
    [InlineData("From: a@example.test\r\nSubject : old style\r\n\r\nBody\r\n", "header line 2 has a blank before its colon")]
    [InlineData("", "empty")]
    public void A_malformed_message_is_a_signing_failure_naming_the_problem(string message, string reason)
    {
        var e = Assert.Throws<DkimSigningException>(() => SigningKeys.Signer(keys.RsaS1).Sign(Encoding.ASCII.GetBytes(message)));

        Assert.Equal(DkimFailure.BadMessage, e.Failure);
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void With_RequireSignature_mail_from_a_domain_without_a_key_is_a_signing_failure()
    {
        var options = new PipelineOptions { Dkim = [keys.RsaS1] };
        options.Signer.RequireSignature = true;

        var e = Assert.Throws<DkimSigningException>(() => SigningKeys.Signer(options).Sign(SampleMessages.From("Carol <carol@unsigned.example>")));

        Assert.Equal(DkimFailure.NoKey, e.Failure);
        Assert.Contains("no DKIM key for author domain unsigned.example", e.Message);
    }

    [Fact]
    public void The_platform_signature_alone_does_not_satisfy_RequireSignature_but_the_default_key_does()
    {
        var platformOnly = new PipelineOptions { Dkim = [keys.Platform] };
        platformOnly.Signer.RequireSignature = true;
        var withDefault = new PipelineOptions { Dkim = [keys.Platform, Default(keys.RsaS2)] };
        withDefault.Signer.RequireSignature = true;
        var message = SampleMessages.From("Carol <carol@customer.test>");

        Assert.Throws<DkimSigningException>(() => SigningKeys.Signer(platformOnly).Sign(message));
        var result = SigningKeys.Signer(withDefault).Sign(message);

        Assert.Equal(["d=customer.test; s=s2; a=rsa-sha256", "d=esp.test; s=p1; a=rsa-sha256"], result.Signatures);
    }

    [Fact]
    public void The_default_key_signs_as_the_author_domain_and_the_platform_key_signs_everything()
    {
        var signer = SigningKeys.Signer(Default(keys.RsaS2), keys.RsaS1, keys.Platform);
        var locator = new KeyFileLocator().Add("customer.test", "s2", keys.RsaS2.KeyFile)
            .Add("example.test", "s1", keys.RsaS1.KeyFile).Add("esp.test", "p1", keys.Platform.KeyFile);

        var customer = signer.Sign(SampleMessages.From("Carol <carol@Customer.Test>"));
        var own = signer.Sign(SampleMessages.From("Alice <alice@example.test>"));

        Assert.Equal(["d=customer.test; s=s2; a=rsa-sha256", "d=esp.test; s=p1; a=rsa-sha256"], customer.Signatures);
        Assert.Equal([true, true], DkimCheck.VerifyAll(customer.Content, locator));
        // A domain with its own entries is signed with those only, not with the default key.
        Assert.Equal(["d=example.test; s=s1; a=rsa-sha256", "d=esp.test; s=p1; a=rsa-sha256"], own.Signatures);
        Assert.Equal([true, true], DkimCheck.VerifyAll(own.Content, locator));
    }

    [Fact]
    public void An_internationalized_author_domain_is_signed_as_its_a_label()
    {
        var signer = SigningKeys.Signer(Default(keys.RsaS2));
        var message = Encoding.UTF8.GetBytes("From: Jörg <joerg@bücher.example>\r\nDate: Mon, 02 Jun 2025 10:00:00 +0000\r\n\r\nHallo\r\n");

        var result = signer.Sign(message);

        Assert.Equal(["d=xn--bcher-kva.example; s=s2; a=rsa-sha256"], result.Signatures);
        Assert.Equal([true], DkimCheck.VerifyAll(result.Content, new KeyFileLocator().Add("xn--bcher-kva.example", "s2", keys.RsaS2.KeyFile)));
    }

    [Fact]
    public void Simple_canonicalization_is_configurable_and_stated_in_the_signature()
    {
        var signed = SigningKeys.Signer(keys.RsaSimple).Sign(SampleMessages.SimpleText).Content;

        using var stream = new MemoryStream(signed);
        var tags = DkimCheck.Tags(MimeMessage.Load(stream).Headers[HeaderId.DkimSignature]!);
        Assert.Equal("simple/simple", tags["c"]);
        Assert.Equal([true], DkimCheck.VerifyAll(signed, keys.Locator));
        // Simple is byte-exact: what relaxed forgives breaks it.
        Assert.Equal([false], DkimCheck.VerifyAll(DkimCheck.Replace(signed, "Hello Bob.\r\n", "Hello   Bob.\r\n"), keys.Locator));
    }

    [Fact]
    public void The_signing_time_is_stated()
    {
        var now = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var signer = new MessageSigner(new DkimKeyStore(new PipelineOptions { Dkim = [keys.Ed25519] },
            Microsoft.Extensions.Logging.Abstractions.NullLogger<DkimKeyStore>.Instance), time: new ManualTimeProvider(now));

        var signed = signer.Sign(SampleMessages.SimpleText).Content;

        using var stream = new MemoryStream(signed);
        var tags = DkimCheck.Tags(MimeMessage.Load(stream).Headers[HeaderId.DkimSignature]!);
        Assert.Equal(now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), tags["t"]);
        Assert.Equal("ed25519-sha256", tags["a"]);
    }

    private static DkimKeyOptions Default(DkimKeyOptions key) => new()
    {
        Domain = "*", Selector = key.Selector, KeyFile = key.KeyFile, Algorithm = key.Algorithm,
    };

    [Fact]
    public void Only_the_author_domain_keys_sign()
    {
        var signer = SigningKeys.Signer(keys.RsaS1, keys.Other);

        var result = signer.Sign(SampleMessages.From("Olga <olga@other.test>"));

        Assert.Equal(["d=other.test; s=o1; a=rsa-sha256"], result.Signatures);
        Assert.Equal([true], DkimCheck.VerifyAll(result.Content, keys.Locator));
    }

    [Fact]
    public void Author_domain_is_matched_without_regard_to_case()
    {
        var result = SigningKeys.Signer(keys.RsaS1).Sign(SampleMessages.From("Alice <alice@Example.TEST>"));

        Assert.Equal(["d=example.test; s=s1; a=rsa-sha256"], result.Signatures);
        Assert.Equal([true], DkimCheck.VerifyAll(result.Content, keys.Locator));
    }

    [Fact]
    public void Two_keys_for_one_domain_give_two_signatures_that_both_verify()
    {
        var original = SampleMessages.MultipartWithAttachment;

        var result = SigningKeys.Signer(keys.RsaS1, keys.RsaS2).Sign(original);

        Assert.Equal(["d=example.test; s=s1; a=rsa-sha256", "d=example.test; s=s2; a=rsa-sha256"], result.Signatures);
        Assert.Equal([true, true], DkimCheck.VerifyAll(result.Content, keys.Locator));
        Assert.Equal(original, result.Content[^original.Length..]);
        AssertSignatureHeaderLines(Encoding.ASCII.GetString(result.Content, 0, result.Content.Length - original.Length), expectedSignatures: 2);
    }

    [Theory]
    [MemberData(nameof(SampleMessages.Names), MemberType = typeof(SampleMessages))]
    public void Rsa_and_ed25519_keys_for_one_domain_both_verify(string sample)
    {
        var original = SampleMessages.All[sample];

        var result = SigningKeys.Signer(keys.RsaS1, keys.Ed25519).Sign(original);

        Assert.Equal(["d=example.test; s=s1; a=rsa-sha256", "d=example.test; s=ed1; a=ed25519-sha256"], result.Signatures);
        Assert.Equal([true, true], DkimCheck.VerifyAll(result.Content, keys.Locator));
        Assert.Equal(original, result.Content[^original.Length..]);
    }

    [Theory]
    [InlineData("Hello Bob.", "Hello Rob.")]
    [InlineData("See you.\r\n", "See you.\r\nP.S. added later\r\n")]
    [InlineData("Subject: Hello", "Subject: Hello!")]
    [InlineData("From: Alice <alice@example.test>", "From: Mallory <alice@example.test>")]
    public void A_change_after_signing_fails_verification(string from, string to)
    {
        var signed = SigningKeys.Signer(keys.RsaS1, keys.Ed25519).Sign(SampleMessages.SimpleText).Content;
        Assert.Equal([true, true], DkimCheck.VerifyAll(signed, keys.Locator));

        var tampered = DkimCheck.Replace(signed, from, to);

        Assert.Equal([false, false], DkimCheck.VerifyAll(tampered, keys.Locator));
    }

    [Fact]
    public void Changes_that_relaxed_canonicalization_ignores_still_verify()
    {
        var signed = SigningKeys.Signer(keys.RsaS1).Sign(SampleMessages.SimpleText).Content;

        var refolded = DkimCheck.Replace(signed, "Subject: Hello\r\n", "Subject:   Hello  \r\n");
        var reblanked = DkimCheck.Replace(signed, "Hello Bob.\r\n", "Hello   Bob.  \r\n");

        Assert.Equal([true], DkimCheck.VerifyAll(refolded, keys.Locator));
        Assert.Equal([true], DkimCheck.VerifyAll(reblanked, keys.Locator));
    }

    [Fact]
    public void One_signer_signs_many_messages_concurrently()
    {
        // The Signer registers MessageSigner and its MimeKit signers as singletons shared by concurrent consumers.
        var signer = SigningKeys.Signer(keys.RsaS1, keys.Ed25519);
        var messages = Enumerable.Range(0, 64).Select(i => SampleMessages.From($"user{i}@example.test", $"message {i}")).ToArray();

        var results = new MessageSigner.Result[messages.Length];
        Parallel.For(0, messages.Length, i => results[i] = signer.Sign(messages[i]));

        for (int i = 0; i < messages.Length; i++)
        {
            Assert.Equal(messages[i], results[i].Content[^messages[i].Length..]);
            Assert.Equal([true, true], DkimCheck.VerifyAll(results[i].Content, keys.Locator));
        }
    }

    /// <summary>The prefix holds exactly <paramref name="expectedSignatures"/> DKIM-Signature fields, CRLF-terminated,
    /// folded with whitespace continuation lines, and nothing else.</summary>
    private static void AssertSignatureHeaderLines(string prefix, int expectedSignatures)
    {
        Assert.StartsWith("DKIM-Signature:", prefix, StringComparison.Ordinal);
        Assert.EndsWith("\r\n", prefix, StringComparison.Ordinal);
        var lines = prefix[..^2].Split("\r\n");
        Assert.All(lines, line => Assert.DoesNotContain('\r', line));
        Assert.All(lines, line => Assert.DoesNotContain('\n', line));
        Assert.All(lines, line => Assert.True(line.Length <= 998, $"line of {line.Length} characters exceeds RFC 5322's 998"));
        Assert.All(lines, line => Assert.True(
            line.StartsWith("DKIM-Signature:", StringComparison.Ordinal) || line.StartsWith(' ') || line.StartsWith('\t'),
            $"'{line}' is neither a DKIM-Signature field nor a continuation line"));
        Assert.Equal(expectedSignatures, lines.Count(l => l.StartsWith("DKIM-Signature:", StringComparison.Ordinal)));
    }
}
