using Pipeline.Shared.Hosting;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Pipeline.Contracts;
using Pipeline.Ingest.Submission;
using Pipeline.Shared.Configuration;

namespace Pipeline.Ingest.Http;

/// <summary>POST /api/v1/messages: a JSON <see cref="SubmitMessage"/>, or a raw RFC 5322 message
/// (Content-Type: message/rfc822) with its envelope in the query (?mailFrom=...&amp;to=...&amp;to=...). 202 with one
/// id per recipient once the broker confirmed every message; 400/401/413/503 as problem+json.</summary>
public static class MessagesEndpoint
{
    public const string Path = "/api/v1/messages";
    /// <summary>Seconds a client should wait before retrying when the broker is unavailable.</summary>
    public const int RetryAfterSeconds = 30;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        // Strict about what it accepts: a misspelt field ("subjct") is an error, not silently ignored.
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static IEndpointRouteBuilder MapIngestApi(this IEndpointRouteBuilder app)
    {
        // Open to every network: the submission API checks its own keys (Ingest:Http:ApiKeys).
        app.MapPost(Path, HandleAsync).RequireAccess(HttpAccessLevel.None);
        return app;
    }

    private static async Task<IResult> HandleAsync(HttpContext http, [FromServices] ApiKeys keys,
        [FromServices] SubmissionService submissions, [FromServices] PipelineOptions options, CancellationToken cancellationToken)
    {
        if (!keys.IsAuthorized(http.Request))
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.Problem(statusCode: 401, title: "Unauthorized",
                detail: "A valid API key is required: 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'.");
        }

        bool raw = http.Request.ContentType?.StartsWith("message/rfc822", StringComparison.OrdinalIgnoreCase) ?? false;
        long maxMessage = options.Ingest.Smtp.MaxMessageBytes;
        // JSON carries attachments in base64 (4/3 larger) and a batch's variables; the built message is checked again.
        long limit = raw ? maxMessage : maxMessage * 2 + 1024 * 1024;
        if (http.Request.ContentLength > limit) return TooLarge(http.Request.ContentLength.Value, limit);
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
            sizeFeature.MaxRequestBodySize = limit;

        SubmitMessage message;
        try
        {
            if (raw)
            {
                using var body = new MemoryStream();
                await http.Request.Body.CopyToAsync(body, cancellationToken).ConfigureAwait(false);
                var query = http.Request.Query;
                message = new SubmitMessage
                {
                    Raw = body.ToArray(),
                    MailFrom = query["mailFrom"].FirstOrDefault(),
                    To = query["to"].Where(t => t is not null).Select(t => t!).ToArray(),
                    VirtualMta = query["virtualMta"].FirstOrDefault(),
                    Pool = query["pool"].FirstOrDefault(),
                    JobId = query["jobId"].FirstOrDefault(),
                };
            }
            else if (http.Request.HasJsonContentType())
            {
                message = await JsonSerializer.DeserializeAsync<SubmitMessage>(http.Request.Body, Json, cancellationToken).ConfigureAwait(false)
                    ?? throw new JsonException("the body is null");
            }
            else
            {
                return Results.Problem(statusCode: 415, title: "Unsupported media type",
                    detail: "Send application/json (a message as JSON) or message/rfc822 (a raw message, envelope in the query).");
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(null, limit);
        }
        catch (JsonException e)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { [e.Path is { Length: > 1 } p ? p.TrimStart('$', '.') : "body"] = [e.Message] },
                title: "The body is not a valid message");
        }

        var client = http.Connection.RemoteIpAddress is { } ip ? (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString() : null;
        var outcome = await submissions.SubmitAsync(message, "http", client, cancellationToken).ConfigureAwait(false);
        switch (outcome.Status)
        {
            case SubmissionOutcomeStatus.Accepted:
                return Results.Json(new AcceptedMessages(outcome.Accepted.Select(a => new AcceptedRecipient(a.Recipient, a.MessageId)).ToArray()),
                    statusCode: StatusCodes.Status202Accepted);
            case SubmissionOutcomeStatus.Invalid:
                return Results.ValidationProblem(outcome.Errors, title: "The message is not valid");
            case SubmissionOutcomeStatus.TooLarge:
                return Results.Problem(statusCode: 413, title: "Message too large",
                    detail: string.Join("; ", outcome.Errors.SelectMany(e => e.Value.Select(v => $"{e.Key}: {v}"))));
            default:
                http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Results.Problem(statusCode: 503, title: "Message queue unavailable",
                    detail: $"The broker did not confirm the message(s): {outcome.Detail}. Retry after {RetryAfterSeconds} s; " +
                            "the recipients listed under 'accepted' were confirmed and must not be sent again.",
                    extensions: new Dictionary<string, object?>
                    {
                        ["accepted"] = outcome.Accepted.Select(a => new AcceptedRecipient(a.Recipient, a.MessageId)).ToArray(),
                    });
        }
    }

    private static IResult TooLarge(long? size, long limit) =>
        Results.Problem(statusCode: 413, title: "Message too large",
            detail: size is null ? $"The request body is over the limit of {limit} bytes." : $"The request body is {size} bytes; the limit is {limit}.");
}
