using System.CommandLine;
using System.Text.Json;

namespace Pipeline.Cli;

/// <summary>What one command run needs: its clients (made from the global options), the output, and how to end:
/// <see cref="RunAsync"/> turns a <see cref="ManagementException"/> into the server's detail on stderr and the
/// matching exit code.</summary>
public sealed class CliContext(ParseResult parse, TextWriter output) : IDisposable
{
    /// <summary>The environment variable holding the API key when --api-key is not given.</summary>
    public const string ApiKeyVariable = "PIPELINE_API_KEY";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private ManagementClient? _dispatcher;
    private ManagementClient? _bounce;

    public TextWriter Output => output;
    public bool Json => parse.GetValue(CliApplication.Json);

    public ManagementClient Dispatcher => _dispatcher ??= Client(CliApplication.Dispatcher);
    public ManagementClient Bounce => _bounce ??= Client(CliApplication.Bounce);

    private ManagementClient Client(Option<string> option)
    {
        var key = parse.GetValue(CliApplication.ApiKey) is { Length: > 0 } k ? k : Environment.GetEnvironmentVariable(ApiKeyVariable);
        var text = parse.GetValue(option) ?? "";
        if (!Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
            throw new UsageException($"{option.Name} '{text}' is not an http:// or https:// address, e.g. http://127.0.0.1:8081");
        return new ManagementClient(address, key, TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(CliApplication.Timeout))));
    }

    public T? Parse<T>(Option<T> option) => parse.GetValue(option);

    public T? Parse<T>(Argument<T> argument) => parse.GetValue(argument);

    public void WriteJson(JsonElement element) => output.WriteLine(JsonSerializer.Serialize(element, Indented));

    public void WriteJson<T>(T value) => output.WriteLine(JsonSerializer.Serialize(value, Indented));

    /// <summary>Runs a command body with the error handling every command shares.</summary>
    public static Func<ParseResult, CancellationToken, Task<int>> Action(TextWriter output, TextWriter error, Func<CliContext, CancellationToken, Task<int>> body) =>
        async (parse, cancellationToken) =>
        {
            using var context = new CliContext(parse, output);
            try
            {
                return await body(context, cancellationToken).ConfigureAwait(false);
            }
            catch (ManagementException e)
            {
                await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return e.ExitCode;
            }
            catch (UsageException e)
            {
                await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
        };

    public void Dispose()
    {
        _dispatcher?.Dispose();
        _bounce?.Dispose();
    }
}

/// <summary>An argument the command line parser accepted but the command cannot use (e.g. a queue without '/').</summary>
public sealed class UsageException(string message) : Exception(message);
