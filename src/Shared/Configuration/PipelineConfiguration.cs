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
        return builder.AddJsonFile(path, optional: false, reloadOnChange: false).AddEnvironmentVariables();
    }

    /// <summary>Builds the configuration the way a service does; throws <see cref="PipelineConfigurationException"/>
    /// on a missing or malformed file or on any invalid key.</summary>
    public static (IConfiguration Configuration, PipelineOptions Options) Load(string path, bool requireBroker)
    {
        IConfigurationRoot root;
        try
        {
            root = new ConfigurationBuilder().AddPipelineConfiguration(path).Build();
        }
        catch (InvalidDataException e) when (e.InnerException is JsonException json)
        {
            throw new PipelineConfigurationException($"configuration file {path} is not valid JSON: {json.Message}", e);
        }
        return (root, Bind(root, path, requireBroker));
    }

    public static PipelineOptions Bind(IConfiguration configuration, string path, bool requireBroker)
    {
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
        if (errors.Count > 0)
            throw new PipelineConfigurationException(
                $"configuration file {path} has {errors.Count} problem(s):{Environment.NewLine}  " +
                string.Join(Environment.NewLine + "  ", errors));
        return options;
    }
}
