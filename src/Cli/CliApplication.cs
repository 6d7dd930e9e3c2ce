using System.CommandLine;
using Pipeline.Cli.Commands;

namespace Pipeline.Cli;

/// <summary>The command tree: show, pause, resume, delete, retry, reload, trace, with the options every command
/// takes (which services, the API key, JSON output).</summary>
public static class CliApplication
{
    public static readonly Option<string> Dispatcher = new("--dispatcher")
    {
        Description = "The Dispatcher's management API",
        DefaultValueFactory = _ => "http://127.0.0.1:8081",
        Recursive = true,
    };

    public static readonly Option<string> Bounce = new("--bounce")
    {
        Description = "The BounceProcessor's API (trace)",
        DefaultValueFactory = _ => "http://127.0.0.1:8082",
        Recursive = true,
    };

    public static readonly Option<string?> ApiKey = new("--api-key")
    {
        Description = "An API key of HttpAccess:ApiKeys, sent as X-Api-Key (default: $PIPELINE_API_KEY)",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print the service's JSON instead of a table",
        Recursive = true,
    };

    public static readonly Option<int> Timeout = new("--timeout")
    {
        Description = "Seconds to wait for an answer",
        DefaultValueFactory = _ => 30,
        Recursive = true,
    };

    public static RootCommand Build(TextWriter output, TextWriter error)
    {
        var root = new RootCommand("Manage a running pipeline, PowerMTA's pmta style: show queues, pause, resume, delete, retry, reload, trace");
        root.Options.Add(Dispatcher);
        root.Options.Add(Bounce);
        root.Options.Add(ApiKey);
        root.Options.Add(Json);
        root.Options.Add(Timeout);
        root.Subcommands.Add(ShowCommands.Build(output, error));
        root.Subcommands.Add(PauseCommands.Build("pause", output, error));
        root.Subcommands.Add(PauseCommands.Build("resume", output, error));
        root.Subcommands.Add(DeleteCommands.Build(output, error));
        root.Subcommands.Add(RetryCommand.Build(output, error));
        root.Subcommands.Add(ReloadCommand.Build(output, error));
        root.Subcommands.Add(TraceCommand.Build(output, error));
        return root;
    }
}
