using Pipeline.Contracts;
using Pipeline.Dispatcher.Tests.Support;

namespace Pipeline.Dispatcher.Tests.Delivery;

/// <summary>Mandatory TLS per domain: never send in clear to a receiver that does not offer STARTTLS.</summary>
public sealed class RequireStartTlsTests
{
    [Fact]
    public async Task A_receiver_without_starttls_gets_no_mail_when_tls_is_required()
    {
        await using var server = new ScriptedSmtpServer(new SmtpScript());
        var options = TestPipeline.Options(null, ("example.test", server.Route));
        options.Domains["example.test"].RequireStartTls = true;
        var message = TestPipeline.Message(["rcpt@example.test"]);

        var result = Assert.Single(await TestPipeline.Deliverer(options).DeliverAsync(message, "example.test", ["rcpt@example.test"], default));

        Assert.Equal(DeliveryOutcome.Deferred, result.Outcome);
        Assert.Equal("4.7.10", result.EnhancedStatus);
        Assert.Contains("TLS is required", result.Diagnostic);
        // The session ended before any envelope: nothing went in clear.
        var session = Assert.Single(server.Sessions);
        Assert.Null(session.MailFrom);
        Assert.Null(session.Data);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_receiver_offering_starttls_gets_the_mail_encrypted(bool required)
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=mx.scripted.test", key,
            System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        // SslStream on Linux needs the key in an exportable form it can hand to OpenSSL.
        using var serverCertificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12(
            certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx), null);
        await using var server = new ScriptedSmtpServer(new SmtpScript
        {
            EhloReply = ["250-mx.scripted.test", "250-STARTTLS", "250 ENHANCEDSTATUSCODES"],
            Certificate = serverCertificate,
        });
        var options = TestPipeline.Options(null, ("example.test", server.Route));
        options.Domains["example.test"].RequireStartTls = required;
        var message = TestPipeline.Message(["rcpt@example.test"]);

        var result = Assert.Single(await TestPipeline.Deliverer(options).DeliverAsync(message, "example.test", ["rcpt@example.test"], default));

        Assert.Equal(DeliveryOutcome.Delivered, result.Outcome);
        var session = Assert.Single(server.Sessions);
        Assert.NotNull(session.Tls);
        Assert.Equal(session.Tls, result.TlsProtocol);
        Assert.NotNull(session.Data);
    }
}
