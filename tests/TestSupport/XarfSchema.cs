using Json.Schema;

namespace Pipeline.TestSupport;

/// <summary>The official XARF v4 schemas (../shared/xarf): the core schema and the messaging/spam type, which
/// $refs the core by its $id.</summary>
public static class XarfSchema
{
    private static readonly Lazy<JsonSchema> Spam = new(() =>
    {
        var root = SharedFolder.Path("xarf", "schemas", "v4");
        var core = JsonSchema.FromFile(Path.Combine(root, "xarf-core.json"));
        SchemaRegistry.Global.Register(core);
        return JsonSchema.FromFile(Path.Combine(root, "types", "messaging-spam.json"));
    });

    /// <summary>The validation errors, empty when the document is valid (formats such as email, uuid and
    /// date-time are checked too).</summary>
    public static IReadOnlyList<string> Errors(string json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        var result = Spam.Value.Evaluate(document.RootElement, new EvaluationOptions
        {
            OutputFormat = OutputFormat.List,
            RequireFormatValidation = true,
        });
        if (result.IsValid) return [];
        return [.. (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))];
    }
}
