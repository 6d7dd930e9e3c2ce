using Pipeline.Shared.Hosting;
using Pipeline.Shared.Messaging;
using Pipeline.Signer;

return await PipelineHost.RunAsync(args, "signer", requireBroker: true,
    listen: o => o.Signer.Http.Listen,
    configure: (builder, options) => builder.Services.AddPipelineBus(options, inMemory: false, builder.Services.AddSigner()),
    beforeStart: SignerService.LoadKeysAsync);
