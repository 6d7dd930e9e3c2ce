using Pipeline.Dispatcher.Spool;
using Pipeline.Shared.Configuration;
using Pipeline.Shared.Hosting;

namespace Pipeline.Dispatcher.Management;

/// <summary>PowerMTA's `pmta` commands over HTTP on the Dispatcher's listener (HttpAccess: reading needs `monitor`,
/// changing needs `admin`; a message's recipients need `admin` too):
/// <list type="bullet">
/// <item>POST /api/v1/queues/{vmta}/{domain}/pause|resume|retry, DELETE /api/v1/queues/{vmta}/{domain}/messages</item>
/// <item>POST /api/v1/vmtas/{name}/pause|resume</item>
/// <item>POST /api/v1/jobs/{id}/pause|resume, DELETE /api/v1/jobs/{id}/messages</item>
/// <item>GET /api/v1/pauses, POST /api/v1/reload, GET /api/v1/messages/{id}</item>
/// </list>
/// Errors are problem+json naming the VirtualMTA, queue, job or configuration key.</summary>
public static class ManagementEndpoints
{
    public sealed record PauseState(string Target, bool Paused, bool Changed);

    public sealed record Deleted(string Scope, int Recipients);

    public sealed record Retried(string VirtualMta, string Domain, int Recipients);

    public sealed record PauseView(string Target, string Kind, string? VirtualMta, string? Domain, string? JobId, DateTimeOffset PausedAt);

    public static void MapManagement(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1");

        api.MapPost("/queues/{vmta}/{domain}/pause", (string vmta, string domain, QueueManager manager, PipelineOptions options, CancellationToken ct) =>
            QueueTarget(vmta, domain, options) is { } problem ? Task.FromResult(problem) : PauseAsync(manager, PauseTarget.Queue(vmta, domain), ct));
        api.MapPost("/queues/{vmta}/{domain}/resume", (string vmta, string domain, QueueManager manager, PipelineOptions options, CancellationToken ct) =>
            QueueTarget(vmta, domain, options) is { } problem ? Task.FromResult(problem) : ResumeAsync(manager, PauseTarget.Queue(vmta, domain), ct));
        api.MapPost("/queues/{vmta}/{domain}/retry", (string vmta, string domain, QueueManager manager, PipelineOptions options, SpoolRegistry spools) =>
        {
            if (!ManagementProblems.IsDomain(domain)) return ManagementProblems.BadDomain(domain);
            if (ManagementProblems.ServedSpool(vmta, options, spools, out var spool) is { } problem) return problem;
            if (!spool.Inspect().Any(c => c.Domain.Equals(domain, StringComparison.OrdinalIgnoreCase))) return ManagementProblems.UnknownQueue(vmta, domain);
            return Results.Ok(new Retried(spool.VirtualMta, domain.ToLowerInvariant(), manager.RetryNow(spool, domain)));
        });
        api.MapDelete("/queues/{vmta}/{domain}/messages", async (string vmta, string domain, QueueManager manager, PipelineOptions options,
            SpoolRegistry spools, CancellationToken ct) =>
        {
            if (!ManagementProblems.IsDomain(domain)) return ManagementProblems.BadDomain(domain);
            if (ManagementProblems.ServedSpool(vmta, options, spools, out var spool) is { } problem) return problem;
            int deleted;
            try
            {
                deleted = await manager.DeleteAsync(spool.VirtualMta, domain, null, ct).ConfigureAwait(false);
            }
            catch (DeleteIncompleteException e)
            {
                return ManagementProblems.DeleteIncomplete(e);
            }
            return deleted == 0 ? ManagementProblems.UnknownQueue(vmta, domain) : Results.Ok(new Deleted($"queue {spool.VirtualMta}/{domain.ToLowerInvariant()}", deleted));
        });

        api.MapPost("/vmtas/{name}/pause", (string name, QueueManager manager, PipelineOptions options, CancellationToken ct) =>
            options.VirtualMtas.ContainsKey(name) ? PauseAsync(manager, PauseTarget.WholeVirtualMta(name), ct) : Task.FromResult(ManagementProblems.UnknownVirtualMta(name)));
        api.MapPost("/vmtas/{name}/resume", (string name, QueueManager manager, PipelineOptions options, CancellationToken ct) =>
            options.VirtualMtas.ContainsKey(name) ? ResumeAsync(manager, PauseTarget.WholeVirtualMta(name), ct) : Task.FromResult(ManagementProblems.UnknownVirtualMta(name)));

        api.MapPost("/jobs/{id}/pause", (string id, QueueManager manager, CancellationToken ct) =>
            ManagementProblems.IsJobId(id) ? PauseAsync(manager, PauseTarget.Job(id), ct) : Task.FromResult(ManagementProblems.BadJob()));
        api.MapPost("/jobs/{id}/resume", (string id, QueueManager manager, CancellationToken ct) =>
            ManagementProblems.IsJobId(id) ? ResumeAsync(manager, PauseTarget.Job(id), ct) : Task.FromResult(ManagementProblems.BadJob()));
        api.MapDelete("/jobs/{id}/messages", async (string id, QueueManager manager, CancellationToken ct) =>
        {
            if (!ManagementProblems.IsJobId(id)) return ManagementProblems.BadJob();
            int deleted;
            try
            {
                deleted = await manager.DeleteAsync(null, null, id, ct).ConfigureAwait(false);
            }
            catch (DeleteIncompleteException e)
            {
                return ManagementProblems.DeleteIncomplete(e);
            }
            return deleted == 0
                ? Results.Problem($"job '{id}' has no recipients waiting in this Dispatcher's queues", statusCode: 404, title: "Unknown job")
                : Results.Ok(new Deleted($"job {id}", deleted));
        });

        api.MapGet("/pauses", async (QueueManager manager, CancellationToken ct) =>
            Results.Ok((await manager.PausesAsync(ct).ConfigureAwait(false)).Select(p => new PauseView(p.Target.Key, Kind(p.Target.Kind),
                p.Target.VirtualMta, p.Target.Domain, p.Target.JobId, p.PausedAt))));

        api.MapPost("/reload", (ConfigurationReloader reloader) =>
        {
            var path = PipelineConfiguration.ResolvePath();
            try
            {
                return Results.Ok(reloader.Reload(path));
            }
            catch (PipelineConfigurationException e)
            {
                return Results.Problem(e.Message, statusCode: 400, title: "Configuration refused; the running configuration stays");
            }
        });

        // Recipient addresses are personal data: admin only, like PowerMTA's message-level commands.
        api.MapGet("/messages/{id}", (string id, SpoolRegistry spools) =>
        {
            if (!Guid.TryParse(id, out var messageId))
                return Results.Problem($"'{id}' is not a pipeline message id (32 hex digits, as in the accounting log's pipelineId)",
                    statusCode: 400, title: "Bad message id");
            foreach (var spool in spools.All)
                if (spool.Describe(messageId) is { } message) return Results.Ok(message);
            return Results.Problem($"message {messageId:N} is not in this Dispatcher's spools (never queued here, or every recipient has ended)",
                statusCode: 404, title: "Unknown message");
        }).RequireAccess(HttpAccessLevel.Admin);
    }

    private static IResult? QueueTarget(string vmta, string domain, PipelineOptions options) =>
        !options.VirtualMtas.ContainsKey(vmta) ? ManagementProblems.UnknownVirtualMta(vmta)
        : !ManagementProblems.IsDomain(domain) ? ManagementProblems.BadDomain(domain)
        : null;

    private static Task<IResult> PauseAsync(QueueManager manager, PauseTarget target, CancellationToken ct) =>
        ChangePauseAsync(target, true, () => manager.PauseAsync(target, ct));

    private static Task<IResult> ResumeAsync(QueueManager manager, PauseTarget target, CancellationToken ct) =>
        ChangePauseAsync(target, false, () => manager.ResumeAsync(target, ct));

    private static async Task<IResult> ChangePauseAsync(PauseTarget target, bool pause, Func<Task<bool>> change)
    {
        try
        {
            return Results.Ok(new PauseState(target.Key, pause, await change().ConfigureAwait(false)));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The pause store (Redis) did not answer, or the spool could not take back buffered work (logged there).
            return ManagementProblems.PauseNotConfirmed(target.Key, pause, e);
        }
    }

    internal static string Kind(PauseKind kind) => kind switch
    {
        PauseKind.Queue => "queue",
        PauseKind.VirtualMta => "vmta",
        _ => "job",
    };
}
