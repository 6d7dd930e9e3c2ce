using Pipeline.Ingest;
using Pipeline.Ingest.Http;
using Pipeline.Ingest.Monitor;
using Pipeline.Ingest.Security;
using Pipeline.Shared.Hosting;
using Pipeline.Shared.Messaging;

// `dotnet run --project src/Ingest -- hash-password` prints a hash for Ingest:Smtp:Users (password from stdin).
if (args is ["hash-password", ..]) return HashPasswordCommand.Run(args[1..]);

return await PipelineHost.RunAsync(args, "ingest", requireBroker: true,
    listen: o => o.Ingest.Http.Listen,
    configure: (builder, options) =>
    {
        var module = builder.Services.AddIngest(options);
        builder.Services.AddPipelineBus(options, inMemory: false, module);
    },
    map: app =>
    {
        app.MapIngestApi();
        app.MapMonitor();
    });
