using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Pipeline.Shared.Hosting;

/// <summary>Enforces <see cref="HttpAccessPolicy"/> on every endpoint after routing: 401 for an unknown API key,
/// 403 for a client whose level is too low, both as problem+json naming what is needed.</summary>
public static partial class HttpAccessMiddleware
{
    /// <summary>Marks an endpoint with the least level it needs (<see cref="HttpAccessLevel.None"/>: open to all,
    /// for health probes and APIs with their own keys).</summary>
    public static TBuilder RequireAccess<TBuilder>(this TBuilder builder, HttpAccessLevel level) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new HttpAccessRequirement(level));

    public static IApplicationBuilder UseHttpAccess(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is null) { await next(context).ConfigureAwait(false); return; } // 404 as usual
        var needed = endpoint.Metadata.GetMetadata<HttpAccessRequirement>()?.Level
            ?? (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) ? HttpAccessLevel.Monitor : HttpAccessLevel.Admin);
        if (needed == HttpAccessLevel.None) { await next(context).ConfigureAwait(false); return; }

        var policy = context.RequestServices.GetRequiredService<HttpAccessPolicy>();
        var (level, unknownKey) = policy.Evaluate(context);
        if (level >= needed) { await next(context).ConfigureAwait(false); return; }

        var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var log = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Pipeline.HttpAccess");
        Refused(log, context.Request.Method, context.Request.Path, client, level.Name(), needed.Name());
        var (status, title, detail) = unknownKey
            ? (StatusCodes.Status401Unauthorized, "Unknown API key", $"The API key given is not one of HttpAccess:ApiKeys; this needs the '{needed.Name()}' level.")
            : (StatusCodes.Status403Forbidden, "Access level too low",
                $"Client {client} has the '{level.Name()}' level here (HttpAccess:Networks); {context.Request.Method} {context.Request.Path} needs '{needed.Name()}'. An API key of that level works from any address.");
        if (unknownKey) context.Response.Headers.WWWAuthenticate = "Bearer";
        await Results.Problem(detail, statusCode: status, title: title).ExecuteAsync(context).ConfigureAwait(false);
    });

    [LoggerMessage(Level = LogLevel.Warning, Message = "HTTP {Method} {Path} from {Client} refused: level {Level}, needs {Needed}")]
    private static partial void Refused(ILogger log, string method, string path, string client, string level, string needed);
}
