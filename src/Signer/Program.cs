using Pipeline.Shared.Hosting;
using Pipeline.Shared.Messaging;
using Pipeline.Signer;
using Pipeline.Signer.Cli;

// `keygen` is a tool verb, not the service: it runs before (and instead of) the host.
if (args is [KeygenCommand.Verb, .. var keygenArgs])
    return KeygenCommand.Run(keygenArgs, Console.Out, Console.Error);

return await PipelineHost.RunAsync(args, "signer", requireBroker: true,
    listen: o => o.Signer.Http.Listen,
    configure: (builder, options) => builder.Services.AddPipelineBus(options, inMemory: false, builder.Services.AddSigner()),
    beforeStart: SignerService.LoadKeysAsync);
