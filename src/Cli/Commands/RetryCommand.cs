using System.CommandLine;

namespace Pipeline.Cli.Commands;

/// <summary>`retry queue &lt;vmta&gt;/&lt;domain&gt;`: deferred recipients of the queue are due now (rates and backoff still apply).</summary>
public static class RetryCommand
{
    public static Command Build(TextWriter output, TextWriter error)
    {
        var command = new Command("retry", "Retry a queue now");
        var queue = new Argument<string>("queue") { Description = "<vmta>/<domain>" };
        var queueCommand = new Command("queue", "Make the deferred recipients of a queue due now");
        queueCommand.Arguments.Add(queue);
        queueCommand.SetAction(CliContext.Action(output, error, async (context, ct) =>
        {
            var name = QueueName.Parse(context.Parse(queue)!);
            var result = await context.Dispatcher.PostAsync($"{name.Path}/retry", ct).ConfigureAwait(false);
            if (context.Json) context.WriteJson(result);
            else context.Output.WriteLine($"{result.Text("recipients")} deferred recipients of {name} are due now");
            return ExitCodes.Ok;
        }));
        command.Subcommands.Add(queueCommand);
        return command;
    }
}
