using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Shared.Configuration;
using Pipeline.Signer.Dkim;
using Pipeline.Signer.Tests.Support;

namespace Pipeline.Signer.Tests.Dkim;

public sealed class DkimKeyStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static DkimKeyStore Load(PipelineOptions options) => new(options, NullLogger<DkimKeyStore>.Instance);

    private static PipelineOptions With(params DkimKeyOptions[] keys) => new() { Dkim = [.. keys] };

    [Fact]
    public void Loads_the_keys_of_each_domain_in_order()
    {
        var s1 = new DkimKeyOptions { Domain = "example.test", Selector = "s1", KeyFile = TestKeys.CreateRsa(_dir.File("s1.pem"), "example.test", "s1") };
        var ed = new DkimKeyOptions
        {
            Domain = "example.test", Selector = "ed1", KeyFile = TestKeys.CreateEd25519(_dir.File("ed1.pem")), Algorithm = "ed25519-sha256",
        };
        var o1 = new DkimKeyOptions { Domain = "other.test", Selector = "o1", KeyFile = TestKeys.CreateRsa(_dir.File("o1.pem"), "other.test", "o1") };

        var store = Load(With(s1, o1, ed));

        Assert.Equal(["s1", "ed1"], store.For("example.test").Select(s => s.Selector));
        Assert.Equal(["s1", "ed1"], store.For("EXAMPLE.test").Select(s => s.Selector));
        Assert.Equal(["o1"], store.For("other.test").Select(s => s.Selector));
        Assert.Empty(store.For("unknown.test"));
    }

    [Fact]
    public void A_missing_key_file_stops_the_signer_naming_the_key()
    {
        var present = new DkimKeyOptions { Domain = "example.test", Selector = "s1", KeyFile = TestKeys.CreateRsa(_dir.File("s1.pem"), "example.test", "s1") };
        var missing = new DkimKeyOptions { Domain = "example.test", Selector = "s2", KeyFile = _dir.File("absent.pem") };

        var first = Assert.Throws<PipelineConfigurationException>(() => Load(With(missing)));
        var second = Assert.Throws<PipelineConfigurationException>(() => Load(With(present, missing)));

        Assert.Contains("Dkim:0:KeyFile", first.Message);
        Assert.Contains("absent.pem", first.Message);
        Assert.Contains("Dkim:1:KeyFile", second.Message);
        Assert.False(File.Exists(missing.KeyFile));
    }

    [Fact]
    public void GenerateMissingKeys_creates_an_owner_only_key_and_loads_it()
    {
        var keyFile = Path.Combine(_dir.Path, "new", "dir", "example.test.s1.pem");
        var options = With(new DkimKeyOptions { Domain = "example.test", Selector = "s1", KeyFile = keyFile });
        options.Signer.GenerateMissingKeys = true;

        var store = Load(options);

        Assert.True(File.Exists(keyFile));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        Assert.StartsWith("-----BEGIN RSA PRIVATE KEY-----", File.ReadAllText(keyFile));
        var signer = Assert.Single(store.For("example.test"));
        Assert.Equal(("example.test", "s1"), (signer.Domain, signer.Selector));

        var signed = new MessageSigner(store).Sign(SampleMessages.SimpleText).Content;
        Assert.Equal([true], DkimCheck.VerifyAll(signed, new KeyFileLocator().Add("example.test", "s1", keyFile)));
    }

    [Fact]
    public void GenerateMissingKeys_keeps_an_existing_key()
    {
        var keyFile = TestKeys.CreateRsa(_dir.File("s1.pem"), "example.test", "s1");
        var before = File.ReadAllBytes(keyFile);
        var options = With(new DkimKeyOptions { Domain = "example.test", Selector = "s1", KeyFile = keyFile });
        options.Signer.GenerateMissingKeys = true;

        Load(options);

        Assert.Equal(before, File.ReadAllBytes(keyFile));
    }

    [Fact]
    public void GenerateMissingKeys_does_not_invent_ed25519_keys()
    {
        var options = With(new DkimKeyOptions
        {
            Domain = "example.test", Selector = "ed1", KeyFile = _dir.File("ed1.pem"), Algorithm = "ed25519-sha256",
        });
        options.Signer.GenerateMissingKeys = true;

        var e = Assert.Throws<PipelineConfigurationException>(() => Load(options));

        Assert.Contains("Dkim:0:KeyFile", e.Message);
        Assert.False(File.Exists(_dir.File("ed1.pem")));
    }

    public static TheoryData<string, string> GarbageKeys => new()
    {
        { "text", "this is not a key\n" },
        { "empty", "" },
        { "bad-base64", "-----BEGIN RSA PRIVATE KEY-----\n!!!! not base64 ####\n-----END RSA PRIVATE KEY-----\n" },
        { "bad-der", "-----BEGIN RSA PRIVATE KEY-----\nAAECAwQFBgcICQ==\n-----END RSA PRIVATE KEY-----\n" },
        { "bad-pkcs8", "-----BEGIN PRIVATE KEY-----\nMAMCAQA=\n-----END PRIVATE KEY-----\n" },
        { "truncated", "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n" },
    };

    [Theory]
    [MemberData(nameof(GarbageKeys))]
    public void An_unreadable_key_stops_the_signer_naming_the_key(string name, string text)
    {
        var good = TestKeys.CreateRsa(_dir.File("good.pem"), "example.test", "s1");
        var bad = _dir.File($"{name}.pem");
        File.WriteAllText(bad, text);

        var e = Assert.Throws<PipelineConfigurationException>(() => Load(With(
            new DkimKeyOptions { Domain = "example.test", Selector = "s1", KeyFile = good },
            new DkimKeyOptions { Domain = "example.test", Selector = "s2", KeyFile = bad })));

        Assert.Contains("Dkim:1:KeyFile", e.Message);
        Assert.Contains($"{name}.pem", e.Message);
    }

    [Fact]
    public void A_public_key_file_is_not_a_signing_key()
    {
        var privateKey = TestKeys.CreateRsa(_dir.File("s1.pem"), "example.test", "s1");
        using var rsa = System.Security.Cryptography.RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(privateKey));
        var publicKey = _dir.File("public.pem");
        File.WriteAllText(publicKey, rsa.ExportSubjectPublicKeyInfoPem());

        var e = Assert.Throws<PipelineConfigurationException>(() => Load(With(
            new DkimKeyOptions { Domain = "example.test", Selector = "s1", KeyFile = publicKey })));

        Assert.Contains("Dkim:0:KeyFile", e.Message);
    }

    [Theory]
    [InlineData("rsa", "ed25519-sha256")]
    [InlineData("ed25519", "rsa-sha256")]
    public void A_key_of_the_wrong_type_for_its_algorithm_stops_the_signer(string keyType, string algorithm)
    {
        var keyFile = keyType == "rsa"
            ? TestKeys.CreateRsa(_dir.File("key.pem"), "example.test", "s1")
            : TestKeys.CreateEd25519(_dir.File("key.pem"));

        var e = Assert.Throws<PipelineConfigurationException>(() => Load(With(
            new DkimKeyOptions { Domain = "example.test", Selector = "s1", KeyFile = keyFile, Algorithm = algorithm })));

        Assert.Contains("Dkim:0:KeyFile", e.Message);
        Assert.Contains(algorithm, e.Message);
    }

    [Fact]
    public void A_short_rsa_key_stops_the_signer()
    {
        var keyFile = _dir.File("short.pem");
        using (var rsa = System.Security.Cryptography.RSA.Create(512)) File.WriteAllText(keyFile, rsa.ExportRSAPrivateKeyPem());

        var e = Assert.Throws<PipelineConfigurationException>(() => Load(With(
            new DkimKeyOptions { Domain = "example.test", Selector = "s1", KeyFile = keyFile })));

        Assert.Contains("Dkim:0:KeyFile", e.Message);
        Assert.Contains("512-bit", e.Message);
    }

    [Fact]
    public void A_changed_key_file_is_put_in_service_without_a_restart()
    {
        var keyFile = TestKeys.CreateRsa(_dir.File("s1.pem"), "example.test", "s1");
        var before = new KeyFileLocator().Add("example.test", "s1", keyFile);
        var store = Load(With(new DkimKeyOptions { Domain = "example.test", Selector = "s1", KeyFile = keyFile }));
        var signer = new MessageSigner(store);
        var oldSet = store.Current;

        Replace(keyFile, path => TestKeys.CreateRsa(path, "example.test", "s1"));
        var after = new KeyFileLocator().Add("example.test", "s1", keyFile);

        Assert.Equal(1, store.ReloadChanged());
        Assert.NotSame(oldSet, store.Current);
        var signed = signer.Sign(SampleMessages.SimpleText).Content;
        Assert.Equal([true], DkimCheck.VerifyAll(signed, after));
        Assert.Equal([false], DkimCheck.VerifyAll(signed, before));
        Assert.Equal(0, store.ReloadChanged());
    }

    [Fact]
    public void An_unusable_new_key_file_leaves_the_previous_key_in_service()
    {
        var keyFile = TestKeys.CreateRsa(_dir.File("s1.pem"), "example.test", "s1");
        var locator = new KeyFileLocator().Add("example.test", "s1", keyFile);
        var store = Load(With(new DkimKeyOptions { Domain = "example.test", Selector = "s1", KeyFile = keyFile }));
        var oldSet = store.Current;

        Replace(keyFile, path => File.WriteAllText(path, "-----BEGIN RSA PRIVATE KEY-----\nhalf a key"));

        Assert.Equal(0, store.ReloadChanged());
        Assert.Same(oldSet, store.Current);
        Assert.Equal([true], DkimCheck.VerifyAll(new MessageSigner(store).Sign(SampleMessages.SimpleText).Content, locator));

        // Once the file is whole again, it is taken.
        Replace(keyFile, path => TestKeys.CreateRsa(path, "example.test", "s1"));
        Assert.Equal(1, store.ReloadChanged());
        Assert.Equal([true], DkimCheck.VerifyAll(new MessageSigner(store).Sign(SampleMessages.SimpleText).Content,
            new KeyFileLocator().Add("example.test", "s1", keyFile)));
    }

    [Fact]
    public async Task The_reloader_checks_the_files_in_the_background()
    {
        var keyFile = TestKeys.CreateEd25519(_dir.File("ed1.pem"));
        var options = With(new DkimKeyOptions { Domain = "example.test", Selector = "ed1", KeyFile = keyFile, Algorithm = "ed25519-sha256" });
        options.Signer.KeyReloadInterval = "100ms";
        var store = Load(options);
        var oldSet = store.Current;
        using var reloader = new DkimKeyReloader(store, options);
        await reloader.StartAsync(CancellationToken.None);

        Replace(keyFile, path => TestKeys.CreateEd25519(path));

        // Waits for the background check; the limit only guards against a hang, it is not a timing assertion.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (ReferenceEquals(oldSet, store.Current) && DateTime.UtcNow < deadline) await Task.Delay(50);
        await reloader.StopAsync(CancellationToken.None);
        Assert.NotSame(oldSet, store.Current);
        var signed = new MessageSigner(store).Sign(SampleMessages.SimpleText).Content;
        Assert.Equal([true], DkimCheck.VerifyAll(signed, new KeyFileLocator().Add("example.test", "ed1", keyFile)));
    }

    /// <summary>Writes a new file at <paramref name="path"/> and moves its time forward, so the change shows even
    /// where the file system's clock is coarse.</summary>
    private static void Replace(string path, Action<string> write)
    {
        var time = File.GetLastWriteTimeUtc(path);
        File.Delete(path);
        write(path);
        File.SetLastWriteTimeUtc(path, time.AddMinutes(1));
    }
}
