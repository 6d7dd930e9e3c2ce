using Pipeline.Cli;

// PowerMTA's `pmta` for the pipeline: a thin client of the Dispatcher's and BounceProcessor's management APIs.
return await CliApplication.Build(Console.Out, Console.Error).Parse(args).InvokeAsync();
