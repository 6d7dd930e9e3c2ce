using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Contracts;
using Pipeline.Dispatcher;
using Pipeline.Dispatcher.Spool;
using Pipeline.Shared.Configuration;
using Pipeline.Shared.Messaging;

// Messages per second from one Dispatcher's spool to Postfix's smtp-sink on loopback, limits off: the spool is
// filled first, then the Dispatcher starts (recovers it) and delivers; the clock runs until the spool is empty.
// Usage: Delivery.Load [messages=20000] [connections=20] [messagesPerConnection=1000]
var count = args.Length > 0 ? int.Parse(args[0]) : 20_000;
var connections = args.Length > 1 ? int.Parse(args[1]) : 20;
var perConnection = args.Length > 2 ? int.Parse(args[2]) : 1000;
const string vmta = "bench";

var work = Directory.CreateTempSubdirectory("delivery-load-");
var port = FreePort();
using var sink = Process.Start(new ProcessStartInfo("/usr/sbin/smtp-sink", $"-u postfix 127.0.0.1:{port} 256") { UseShellExecute = false })!;
try
{
    var options = new PipelineOptions
    {
        VirtualMtas = { [vmta] = new VirtualMtaOptions { SourceIp = "127.0.0.1", HostName = "bench.example.test" } },
        Pools = { ["default"] = [vmta] },
        Domains =
        {
            ["*"] = new DomainOptions { MaxSmtpOut = connections, MaxMsgPerConnection = perConnection, UseStartTls = false },
            ["example.test"] = new DomainOptions { Route = $"127.0.0.1:{port}" },
        },
        Dispatcher = { DataDirectory = work.FullName, Serve = [vmta] },
    };

    // 1. Fill the spool: 4 KB messages, one recipient each.
    var body = new string('x', 76) + "\r\n";
    var content = System.Text.Encoding.ASCII.GetBytes(
        "From: sender@example.test\r\nTo: rcpt@example.test\r\nSubject: load\r\nMessage-ID: <{0}@bench>\r\n\r\n" + string.Concat(Enumerable.Repeat(body, 52)));
    var settings = SpoolSettings.From(options.Dispatcher.Spool);
    var fill = Stopwatch.StartNew();
    await using (var spool = Spool.Open(Path.Combine(SpoolSettings.RootDirectory(options.Dispatcher), vmta), vmta, settings, TimeProvider.System, NullLogger.Instance))
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, ct) =>
            await spool.StoreAsync(new MessageSigned
            {
                MessageId = Guid.NewGuid(), AcceptedAt = DateTimeOffset.UtcNow, MailFrom = "sender@example.test",
                Recipients = [$"rcpt{i}@example.test"], VirtualMta = vmta, Signatures = [], Content = content,
            }, ct));
    }
    Console.WriteLine($"spool filled with {count} messages in {fill.Elapsed.TotalSeconds:0.0} s");

    // 2. The Dispatcher, as its host wires it (in-memory bus, limits in this process), delivers them.
    var builder = Host.CreateApplicationBuilder();
    builder.Logging.ClearProviders();
    builder.Services.AddSingleton(options);
    builder.Services.AddSingleton(new DomainPolicies(options));
    builder.Services.AddPipelineBus(options, inMemory: true, builder.Services.AddDispatcher(options, sharedState: false));
    using var host = builder.Build();
    var clock = Stopwatch.StartNew();
    await host.StartAsync();
    var spools = host.Services.GetRequiredService<SpoolRegistry>();
    await spools.Opened;
    var recovered = clock.Elapsed;
    while (spools.All.Sum(s => s.RecipientCount) > 0) await Task.Delay(50);
    var seconds = clock.Elapsed.TotalSeconds;
    await host.StopAsync();
    Console.WriteLine($"delivered {count} messages of 4 KB over up to {connections} connections ({perConnection} per connection) " +
                      $"in {seconds:0.00} s (recovery {recovered.TotalSeconds:0.00} s): {count / seconds:N0} msg/s");
}
finally
{
    sink.Kill();
    await sink.WaitForExitAsync();
    work.Delete(recursive: true);
}

static int FreePort()
{
    var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
    listener.Start();
    var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    listener.Stop();
    return port;
}
