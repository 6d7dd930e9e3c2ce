using System.CommandLine;

namespace Pipeline.Cli.Commands;

/// <summary>`delete queue &lt;vmta&gt;/&lt;domain&gt;`, `delete job &lt;id&gt;`: every waiting recipient ends with a `b` record
/// "deleted by administrator" (bounceCat admin) in the accounting log; nobody is suppressed.</summary>
public static class DeleteCommands
{
    public static Command Build(TextWriter output, TextWriter error)
    {
        var command = new Command("delete", "Delete the waiting messages of a queue or a job (each recipient gets an administrative b record)");

        var queue = new Argument<string>("queue") { Description = "<vmta>/<domain>" };
        var queueCommand = new Command("queue", "Delete every recipient waiting in a queue");
        queueCommand.Arguments.Add(queue);
        queueCommand.SetAction(CliContext.Action(output, error, (context, ct) =>
            DeleteAsync(context, $"{QueueName.Parse(context.Parse(queue)!).Path}/messages", ct)));
        command.Subcommands.Add(queueCommand);

        var job = new Argument<string>("id") { Description = "job id (X-Job)" };
        var jobCommand = new Command("job", "Delete every waiting recipient of a job (on this Dispatcher)");
        jobCommand.Arguments.Add(job);
        jobCommand.SetAction(CliContext.Action(output, error, (context, ct) =>
            DeleteAsync(context, $"api/v1/jobs/{Uri.EscapeDataString(context.Parse(job)!)}/messages", ct)));
        command.Subcommands.Add(jobCommand);
        return command;
    }

    private static async Task<int> DeleteAsync(CliContext context, string path, CancellationToken ct)
    {
        var result = await context.Dispatcher.DeleteAsync(path, ct).ConfigureAwait(false);
        if (context.Json) context.WriteJson(result);
        else context.Output.WriteLine($"deleted {result.Text("recipients")} recipients of {result.Text("scope")}");
        return ExitCodes.Ok;
    }
}
