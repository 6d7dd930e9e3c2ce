using System.Net.Http.Headers;
using System.Text.Json;

namespace Pipeline.Cli;

/// <summary>HTTP to one service's management API: JSON in, <see cref="JsonElement"/> out, the API key as X-Api-Key.
/// A problem+json answer becomes a <see cref="ManagementException"/> with the server's own detail; a service that
/// does not answer becomes one that says which address was tried.</summary>
public sealed class ManagementClient(Uri baseAddress, string? apiKey, TimeSpan timeout) : IDisposable
{
    private readonly HttpClient _http = Create(baseAddress, apiKey, timeout);

    public Uri BaseAddress => baseAddress;

    private static HttpClient Create(Uri baseAddress, string? apiKey, TimeSpan timeout)
    {
        var http = new HttpClient { BaseAddress = baseAddress, Timeout = timeout };
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/problem+json"));
        if (!string.IsNullOrEmpty(apiKey)) http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return http;
    }

    public Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken) => SendAsync(HttpMethod.Get, path, cancellationToken);

    public Task<JsonElement> PostAsync(string path, CancellationToken cancellationToken) => SendAsync(HttpMethod.Post, path, cancellationToken);

    public Task<JsonElement> DeleteAsync(string path, CancellationToken cancellationToken) => SendAsync(HttpMethod.Delete, path, cancellationToken);

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            using var request = new HttpRequestMessage(method, path.TrimStart('/'));
            response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new ManagementException(0, $"cannot reach {baseAddress}: {e.Message} (is the service running? --dispatcher/--bounce set the address)");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ManagementException(0, $"{baseAddress} did not answer within {_http.Timeout.TotalSeconds:0} s");
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
                return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
            throw new ManagementException((int)response.StatusCode, Describe((int)response.StatusCode, response.ReasonPhrase, body));
        }
    }

    /// <summary>"404 Unknown queue: queue mta1/x.com has no recipients waiting", from the problem+json when there is one.</summary>
    private static string Describe(int status, string? reason, string body)
    {
        try
        {
            using var problem = JsonDocument.Parse(body);
            var title = problem.RootElement.TryGetProperty("title", out var t) ? t.GetString() : reason;
            var detail = problem.RootElement.TryGetProperty("detail", out var d) ? d.GetString() : null;
            return detail is null ? $"{status} {title}" : $"{status} {title}: {detail}";
        }
        catch (JsonException)
        {
            return body.Length > 0 ? $"{status} {reason}: {body.Trim()}" : $"{status} {reason}";
        }
    }

    public void Dispose() => _http.Dispose();
}
