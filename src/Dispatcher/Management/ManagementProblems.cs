using Pipeline.Dispatcher.Spool;
using Pipeline.Shared.Configuration;

namespace Pipeline.Dispatcher.Management;

/// <summary>The checks every management request makes on the names it is given, each failure a problem+json that
/// names what was wrong: 400 for a malformed name, 404 for a VirtualMTA, queue or job that is not there, 503 for a delete, pause or resume cut short.</summary>
public static class ManagementProblems
{
    public static IResult BadDomain(string domain) =>
        Results.Problem($"'{domain}' is not a domain name", statusCode: 400, title: "Bad domain");

    public static IResult BadJob() =>
        Results.Problem("a job id is 1 to 200 characters without control characters", statusCode: 400, title: "Bad job id");

    public static IResult UnknownVirtualMta(string name) =>
        Results.Problem($"VirtualMTA '{name}' is not configured (VirtualMtas)", statusCode: 404, title: "Unknown VirtualMTA");

    public static IResult NotServed(string name) =>
        Results.Problem($"VirtualMTA '{name}' is not served by this Dispatcher (Dispatcher:Serve); ask the one that serves it",
            statusCode: 404, title: "VirtualMTA not served here");

    public static IResult UnknownQueue(string virtualMta, string domain) =>
        Results.Problem($"queue {virtualMta}/{domain} has no recipients waiting", statusCode: 404, title: "Unknown queue");

    /// <summary>503: the delete may be repeated once the spool or the bus is back; nothing taken was lost.</summary>
    public static IResult DeleteIncomplete(DeleteIncompleteException e) =>
        Results.Problem($"{e.Message}; try again when the spool and the message bus are available", statusCode: 503, title: "Delete incomplete",
            extensions: new Dictionary<string, object?> { ["deleted"] = e.Deleted, ["returned"] = e.Returned });

    /// <summary>503: a pause or resume the pause store or the spool could not complete; repeating it is safe.</summary>
    public static IResult PauseNotConfirmed(string target, bool pause, Exception e) =>
        Results.Problem($"{(pause ? "pause" : "resume")} of {target} not confirmed: {e.Message}; try again when the pause store (Redis) and the spool are available",
            statusCode: 503, title: pause ? "Pause not confirmed" : "Resume not confirmed");

    public static bool IsDomain(string domain) =>
        domain.Length is > 0 and <= 253 && Uri.CheckHostName(domain) is UriHostNameType.Dns;

    public static bool IsJobId(string jobId) =>
        jobId.Length is > 0 and <= 200 && !jobId.Any(char.IsControl) && !string.IsNullOrWhiteSpace(jobId);

    /// <summary>The spool of a VirtualMTA this Dispatcher serves, or the problem saying why there is none.</summary>
    public static IResult? ServedSpool(string virtualMta, PipelineOptions options, SpoolRegistry spools, out Spool.Spool spool)
    {
        spool = null!;
        if (!options.VirtualMtas.ContainsKey(virtualMta)) return UnknownVirtualMta(virtualMta);
        var found = spools.All.FirstOrDefault(s => s.VirtualMta.Equals(virtualMta, StringComparison.OrdinalIgnoreCase));
        if (found is null) return NotServed(virtualMta);
        spool = found;
        return null;
    }
}
