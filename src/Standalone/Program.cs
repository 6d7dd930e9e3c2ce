using Pipeline.BounceProcessor;
using Pipeline.Dispatcher;
using Pipeline.Dispatcher.Delivery;
using Pipeline.Dispatcher.Management;
using Pipeline.BounceProcessor.Http;
using Pipeline.Dispatcher.Spool;
using Pipeline.Ingest;
using Pipeline.Ingest.Http;
using Pipeline.Ingest.Monitor;
using Pipeline.Shared.Status;
using Pipeline.Shared.Hosting;
using Pipeline.Shared.Messaging;
using Pipeline.Signer;
using Pipeline.Standalone;

// All four services in one process on MassTransit's in-memory transport: the zero-setup way to run the pipeline.
// No logic of its own lives here; it only wires the services' own registrations together (and lets Ingest read
// the BounceProcessor's in-process suppression list).
return await PipelineHost.RunAsync(args, "standalone", requireBroker: false,
    listen: o => o.Ingest.Http.Listen,
    configure: (builder, options) =>
    {
        // A fresh clone has no DKIM key yet: create the demo key and print its DNS record instead of refusing to start.
        options.Signer.GenerateMissingKeys = true;
        // One status board in this process for all four services (registered first, so theirs are not added).
        builder.Services.AddStatusBoard(sharedState: false);
        builder.Services.AddPipelineBus(options, inMemory: true,
            builder.Services.AddIngest(options,
                sp => new SuppressionListBridge(sp.GetRequiredService<Pipeline.BounceProcessor.State.ISuppressionList>())),
            builder.Services.AddSigner(),
            builder.Services.AddDispatcher(options, sharedState: false),
            builder.Services.AddBounceProcessor());
    },
    map: app =>
    {
        app.MapIngestApi();
        app.MapMonitor();
        app.MapSpoolStatus();
        app.MapQueueStatus();
        app.MapOverview();
        app.MapManagement();
        app.MapAccountingTrace();
    },
    beforeStart: SignerService.LoadKeysAsync);
