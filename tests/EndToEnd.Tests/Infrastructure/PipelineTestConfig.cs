using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.EndToEnd.Tests.Infrastructure;

/// <summary>A configuration file for one test: the shipped config/pipeline.json with the test's own loopback
/// ports, folders, VirtualMTA, DKIM key and receiver, so tests never collide with each other or a running pipeline.</summary>
public sealed class PipelineTestConfig : IDisposable
{
    private readonly RabbitMqVirtualHost? _virtualHost;

    public string Directory { get; } = TestEnvironment.TemporaryDirectory("pipeline-e2e");
    public int SmtpPort { get; } = FreePort.Next();
    public int IngestHttpPort { get; } = FreePort.Next();
    public int SignerHttpPort { get; } = FreePort.Next();
    public int DispatcherHttpPort { get; } = FreePort.Next();
    public int BounceHttpPort { get; } = FreePort.Next();
    /// <summary>Unique per test, so its dispatch queue (dispatch.&lt;name&gt;) is its own.</summary>
    public string VirtualMta { get; } = "e2e" + Guid.NewGuid().ToString("N")[..8];
    public string Selector { get; } = "t" + Guid.NewGuid().ToString("N")[..6];
    public string KeyFile => Path.Combine(Directory, "dkim", $"example.test.{Selector}.pem");
    public string AccountingDirectory => Path.Combine(Directory, "acct");
    public string ConfigFile => Path.Combine(Directory, "pipeline.json");
    /// <summary>The status board's Redis prefix of this test (Monitor:RedisPrefix), whose keys go on dispose.</summary>
    public string StatusPrefix { get; } = $"test-status-{Guid.NewGuid():N}:";

    public JsonObject Root { get; }

    /// <summary>The broker URI the services of this test use (their own virtual host unless the test gave one).</summary>
    public string RabbitMqUri => Root["ConnectionStrings"]!["RabbitMq"]!.GetValue<string>();

    public PipelineTestConfig(int receiverPort, string? rabbitMq = null)
    {
        Root = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "config", "pipeline.json")))!.AsObject();
        // A broker given by the test (e.g. an unreachable one) is used as it is; otherwise a virtual host of our own.
        if (rabbitMq is null) _virtualHost = new RabbitMqVirtualHost();
        Root["ConnectionStrings"] = new JsonObject { ["RabbitMq"] = rabbitMq ?? _virtualHost!.Uri, ["Redis"] = TestEnvironment.Redis };
        Root["Ingest"]!["Smtp"]!["Listen"] = $"127.0.0.1:{SmtpPort}";
        Root["Ingest"]!["Smtp"]!["ServerName"] = "ingest.e2e.test";
        Root["Ingest"]!["Http"]!["Listen"] = $"127.0.0.1:{IngestHttpPort}";
        Root["VirtualMtas"] = new JsonObject { [VirtualMta] = new JsonObject { ["SourceIp"] = "127.0.0.1", ["HostName"] = $"{VirtualMta}.example.test" } };
        Root["Pools"] = new JsonObject { ["default"] = new JsonArray(VirtualMta) };
        Root["Domains"]!["example.test"] = new JsonObject { ["Route"] = $"127.0.0.1:{receiverPort}", ["RetryAfter"] = "2s" };
        Root["Dns"] = new JsonObject { ["Servers"] = new JsonArray(TestEnvironment.Dns) };
        Root["Dkim"] = new JsonArray(new JsonObject { ["Domain"] = "example.test", ["Selector"] = Selector, ["KeyFile"] = KeyFile });
        Root["Signer"] = new JsonObject { ["Http"] = new JsonObject { ["Listen"] = $"127.0.0.1:{SignerHttpPort}" } };
        Root["Dispatcher"] = new JsonObject
        {
            ["Http"] = new JsonObject { ["Listen"] = $"127.0.0.1:{DispatcherHttpPort}" },
            ["DataDirectory"] = Path.Combine(Directory, "dispatcher"),
            ["Serve"] = new JsonArray(VirtualMta),
        };
        Root["Monitor"] = new JsonObject { ["RedisPrefix"] = StatusPrefix };
        Root["BounceProcessor"] = new JsonObject
        {
            ["Http"] = new JsonObject { ["Listen"] = $"127.0.0.1:{BounceHttpPort}" },
            ["AccountingDirectory"] = AccountingDirectory,
        };
    }

    /// <summary>Writes an RSA-2048 key the way an operator would provide one, and returns its public key (DER).</summary>
    public byte[] CreateKey()
    {
        using var rsa = RSA.Create(2048);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(KeyFile)!);
        File.WriteAllText(KeyFile, rsa.ExportRSAPrivateKeyPem());
        return rsa.ExportSubjectPublicKeyInfo();
    }

    public string Write()
    {
        File.WriteAllText(ConfigFile, Root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return ConfigFile;
    }

    /// <summary>Every accounting line written so far.</summary>
    public IReadOnlyList<string> AccountingLines() =>
        System.IO.Directory.Exists(AccountingDirectory)
            ? System.IO.Directory.EnumerateFiles(AccountingDirectory, "*.csv").SelectMany(f =>
            {
                using var stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var reader = new StreamReader(stream);
                return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            }).ToList()
            : [];

    public void Dispose()
    {
        _virtualHost?.Dispose();
        DeleteStatusKeys();
    }

    /// <summary>The status board's keys the services wrote for this test (they run no more when the config goes).</summary>
    private void DeleteStatusKeys()
    {
        try
        {
            using var redis = StackExchange.Redis.ConnectionMultiplexer.Connect(TestEnvironment.Redis);
            var keys = redis.GetServers()[0].Keys(pattern: StatusPrefix + "*").ToArray();
            if (keys.Length > 0) redis.GetDatabase().KeyDelete(keys);
        }
        catch (StackExchange.Redis.RedisConnectionException)
        {
            // Tests that never reached Redis left nothing there.
        }
    }
}
