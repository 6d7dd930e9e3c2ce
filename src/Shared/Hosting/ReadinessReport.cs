using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Pipeline.Shared.Hosting;

/// <summary>The body of /readyz: the overall status and one entry per dependency (broker, Redis, spool), so an
/// operator sees which one is missing, not only that one is. The probe is open to every client (load balancers); the
/// descriptions and errors (addresses, file paths) only go to clients with the monitor level.</summary>
public static class ReadinessReport
{
    private static readonly JsonWriterOptions Options = new() { Indented = true };

    public static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        var detailed = context.RequestServices.GetService<HttpAccessPolicy>() is { } policy
            && policy.Evaluate(context).Level >= HttpAccessLevel.Monitor;
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(context.Response.Body, Options);
        json.WriteStartObject();
        json.WriteString("status", Name(report.Status));
        json.WriteStartObject("checks");
        foreach (var (name, entry) in report.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            json.WriteStartObject(name);
            json.WriteString("status", Name(entry.Status));
            if (detailed && entry.Description is { Length: > 0 } description) json.WriteString("description", description);
            if (detailed && entry.Exception is { } exception) json.WriteString("error", exception.Message);
            json.WriteNumber("durationMs", Math.Round(entry.Duration.TotalMilliseconds, 1));
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static string Name(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}
