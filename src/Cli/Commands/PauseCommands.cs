using System.CommandLine;

namespace Pipeline.Cli.Commands;

/// <summary>`pause|resume queue &lt;vmta&gt;/&lt;domain&gt;`, `pause|resume vmta &lt;name&gt;`, `pause|resume job &lt;id&gt;`.
/// A pause holds in every Dispatcher sharing the Redis; resumed recipients are due again at once.</summary>
public static class PauseCommands
{
    /// <param name="verb">"pause" or "resume".</param>
    public static Command Build(string verb, TextWriter output, TextWriter error)
    {
        var pausing = verb == "pause";
        var command = new Command(verb, pausing
            ? "Stop taking recipients of a queue, a VirtualMTA or a job for delivery (they stay queued)"
            : "Make paused recipients due again");

        var queue = new Argument<string>("queue") { Description = "<vmta>/<domain>" };
        var queueCommand = new Command("queue", $"{verb} one queue (VirtualMTA towards a domain)");
        queueCommand.Arguments.Add(queue);
        queueCommand.SetAction(CliContext.Action(output, error, (context, ct) =>
        {
            var name = QueueName.Parse(context.Parse(queue)!);
            return SendAsync(context, $"{name.Path}/{verb}", $"queue {name}", pausing, ct);
        }));
        command.Subcommands.Add(queueCommand);

        var vmta = new Argument<string>("name") { Description = "VirtualMTA name" };
        var vmtaCommand = new Command("vmta", $"{verb} every queue of a VirtualMTA");
        vmtaCommand.Arguments.Add(vmta);
        vmtaCommand.SetAction(CliContext.Action(output, error, (context, ct) =>
        {
            var name = context.Parse(vmta)!;
            return SendAsync(context, $"api/v1/vmtas/{Uri.EscapeDataString(name)}/{verb}", $"VirtualMTA {name}", pausing, ct);
        }));
        command.Subcommands.Add(vmtaCommand);

        var job = new Argument<string>("id") { Description = "job id (X-Job)" };
        var jobCommand = new Command("job", $"{verb} every recipient of a job, in every VirtualMTA");
        jobCommand.Arguments.Add(job);
        jobCommand.SetAction(CliContext.Action(output, error, (context, ct) =>
        {
            var id = context.Parse(job)!;
            return SendAsync(context, $"api/v1/jobs/{Uri.EscapeDataString(id)}/{verb}", $"job {id}", pausing, ct);
        }));
        command.Subcommands.Add(jobCommand);
        return command;
    }

    private static async Task<int> SendAsync(CliContext context, string path, string what, bool pausing, CancellationToken ct)
    {
        var result = await context.Dispatcher.PostAsync(path, ct).ConfigureAwait(false);
        if (context.Json)
        {
            context.WriteJson(result);
            return ExitCodes.Ok;
        }
        var changed = result.Flag("changed");
        context.Output.WriteLine(pausing
            ? changed ? $"{what} paused" : $"{what} was already paused"
            : changed ? $"{what} resumed" : $"{what} was not paused");
        return ExitCodes.Ok;
    }
}
