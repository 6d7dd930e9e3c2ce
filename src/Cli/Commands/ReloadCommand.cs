using System.CommandLine;

namespace Pipeline.Cli.Commands;

/// <summary>`reload`: the Dispatcher re-reads its configuration file; a bad file is refused, naming the key.</summary>
public static class ReloadCommand
{
    public static Command Build(TextWriter output, TextWriter error)
    {
        var command = new Command("reload", "Re-read the configuration file and apply domain and VirtualMTA limits without a restart");
        command.SetAction(CliContext.Action(output, error, async (context, ct) =>
        {
            var result = await context.Dispatcher.PostAsync("api/v1/reload", ct).ConfigureAwait(false);
            if (context.Json)
            {
                context.WriteJson(result);
                return ExitCodes.Ok;
            }
            var applied = result.Text("applied");
            var restart = result.Text("restartNeeded");
            context.Output.WriteLine($"reloaded {result.Text("path")}");
            context.Output.WriteLine($"applied: {(applied.Length == 0 ? "nothing changed" : applied)}");
            if (restart.Length > 0) context.Output.WriteLine($"changed but needing a restart: {restart}");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
