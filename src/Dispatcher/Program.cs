using Pipeline.Dispatcher;
using Pipeline.Dispatcher.Delivery;
using Pipeline.Dispatcher.Management;
using Pipeline.Dispatcher.Spool;
using Pipeline.Shared.Hosting;
using Pipeline.Shared.Messaging;

return await PipelineHost.RunAsync(args, "dispatcher", requireBroker: true,
    listen: o => o.Dispatcher.Http.Listen,
    configure: (builder, options) => builder.Services.AddPipelineBus(options, inMemory: false, builder.Services.AddDispatcher(options)),
    map: app =>
    {
        app.MapSpoolStatus();
        app.MapQueueStatus();
        app.MapOverview();
        app.MapManagement();
    });
