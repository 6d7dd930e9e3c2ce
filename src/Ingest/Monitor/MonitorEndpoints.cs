using System.Security.Cryptography;
using System.Text.Json;
using Pipeline.Shared.Configuration;

namespace Pipeline.Ingest.Monitor;

/// <summary>The web monitor on Ingest's HTTP listener: GET /monitor (the page), /monitor/fragment (its board, which
/// the page fetches to refresh itself) and /monitor/data.json (the same data for scripts). Read-only, so HttpAccess
/// lets in every client with the monitor level.</summary>
public static class MonitorEndpoints
{
    public const string Path = "/monitor";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static IEndpointRouteBuilder MapMonitor(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, async (HttpContext http, MonitorViewBuilder views, PipelineOptions options, CancellationToken cancellationToken) =>
        {
            var view = await views.BuildAsync(cancellationToken).ConfigureAwait(false);
            var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            NoCache(http);
            // Defence in depth behind the encoding: only this page's own script may run.
            http.Response.Headers.ContentSecurityPolicy = $"default-src 'self'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; img-src 'self' data:";
            return Results.Content(MonitorPage.Page(view, DurationText.Parse(options.Monitor.Refresh), nonce), "text/html; charset=utf-8");
        });
        app.MapGet(Path + "/fragment", async (HttpContext http, MonitorViewBuilder views, CancellationToken cancellationToken) =>
        {
            var view = await views.BuildAsync(cancellationToken).ConfigureAwait(false);
            NoCache(http);
            return Results.Content(MonitorPage.Fragment(view), "text/html; charset=utf-8");
        });
        app.MapGet(Path + "/data.json", async (HttpContext http, MonitorViewBuilder views, CancellationToken cancellationToken) =>
        {
            var view = await views.BuildAsync(cancellationToken).ConfigureAwait(false);
            NoCache(http);
            return Results.Json(view, Json);
        });
        return app;
    }

    private static void NoCache(HttpContext http)
    {
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.XContentTypeOptions = "nosniff";
    }
}
