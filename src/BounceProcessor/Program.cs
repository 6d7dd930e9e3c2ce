using Pipeline.BounceProcessor;
using Pipeline.BounceProcessor.Cli;
using Pipeline.BounceProcessor.Http;
using Pipeline.Shared.Hosting;
using Pipeline.Shared.Messaging;

// The classify verb needs no broker, configuration or host: operators and scripts run it on files.
if (args.Length > 0 && args[0] == ClassifyCommand.Verb)
    return await ClassifyCommand.RunAsync(args[1..], Console.Out, Console.Error);

return await PipelineHost.RunAsync(args, "bounce-processor", requireBroker: true,
    listen: o => o.BounceProcessor.Http.Listen,
    configure: (builder, options) => builder.Services.AddPipelineBus(options, inMemory: false,
        builder.Services.AddBounceProcessor(sharedState: true)),
    map: app =>
    {
        app.MapSuppressionEndpoints();
        app.MapAccountingTrace();
    },
    // Load the rules now: a bad rules file stops the service at start, naming BounceProcessor:RulesFile.
    beforeStart: (_, services, _) =>
    {
        services.GetRequiredService<Pipeline.BounceProcessor.Classification.ReplyClassifier>();
        return Task.CompletedTask;
    });
