using Pipeline.BounceProcessor;
using Pipeline.Shared.Hosting;
using Pipeline.Shared.Messaging;

return await PipelineHost.RunAsync(args, "bounce-processor", requireBroker: true,
    listen: o => o.BounceProcessor.Http.Listen,
    configure: (builder, options) => builder.Services.AddPipelineBus(options, inMemory: false, builder.Services.AddBounceProcessor()));
