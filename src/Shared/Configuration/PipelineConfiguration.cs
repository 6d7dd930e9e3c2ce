using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Pipeline.Shared.Configuration;

/// <summary>Finds, reads, binds and validates the pipeline's one configuration file (DESIGN.md).</summary>
public static class PipelineConfiguration
{
    /// <summary>Environment variable naming the file.</summary>
    public const string PathVariable = "PIPELINE_CONFIG";
    public const string DefaultPath = "config/pipeline.json";

    public static string ResolvePath() =>
        Path.GetFullPath(Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } p ? p : DefaultPath);

    /// <summary>Adds the file, then environment variables over it (Domains__gmail.com__MaxSmtpOut).</summary>
    public static IConfigurationBuilder AddPipelineConfiguration(this IConfigurationBuilder builder, string path)
    {
        if (!File.Exists(path))
            throw new PipelineConfigurationException(
                $"configuration file {path} not found (set {PathVariable} or run from the repository root)");
        CheckJson(path);
        return builder.AddJsonFile(path, optional: false, reloadOnChange: false).AddEnvironmentVariables();
    }

    /// <summary>Reads the file once as the JSON provider will (comments and trailing commas allowed), so a syntax
    /// error is reported with its line and position however the configuration is built.</summary>
    private static void CheckJson(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path),
                new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new PipelineConfigurationException(
                $"configuration file {path} is not valid JSON: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PipelineConfigurationException($"configuration file {path} cannot be read: {e.Message}", e);
        }
    }

    /// <summary>Builds the configuration the way a service does; throws <see cref="PipelineConfigurationException"/>
    /// on a missing or malformed file or on any invalid key.</summary>
    public static (IConfiguration Configuration, PipelineOptions Options) Load(string path, bool requireBroker)
    {
        var root = new ConfigurationBuilder().AddPipelineConfiguration(path).Build();
        return (root, Bind(root, path, requireBroker));
    }

    public static PipelineOptions Bind(IConfiguration configuration, string path, bool requireBroker)
    {
        var rawErrors = RawSectionCheck.Check(configuration).ToList();
        if (rawErrors.Count > 0) throw Problems(path, rawErrors);
        var options = new PipelineOptions();
        try
        {
            configuration.Bind(options);
        }
        catch (InvalidOperationException e)
        {
            // The binder names the key ("... at 'Domains:*:MaxSmtpOut' to type 'System.Int32'").
            throw new PipelineConfigurationException($"configuration file {path}: {e.Message}", e);
        }
        var errors = PipelineOptionsValidator.Validate(options, requireBroker);
        if (errors.Count > 0) throw Problems(path, errors);
        return options;
    }

    private static PipelineConfigurationException Problems(string path, IReadOnlyList<string> errors) =>
        new($"configuration file {path} has {errors.Count} problem(s):{Environment.NewLine}  " +
            string.Join(Environment.NewLine + "  ", errors));
}
