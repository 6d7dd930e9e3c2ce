using Pipeline.Ingest;
using Pipeline.Shared.Hosting;
using Pipeline.Shared.Messaging;

return await PipelineHost.RunAsync(args, "ingest", requireBroker: true,
    listen: o => o.Ingest.Http.Listen,
    configure: (builder, options) =>
    {
        var module = builder.Services.AddIngest(options);
        builder.Services.AddPipelineBus(options, inMemory: false, module);
    });
