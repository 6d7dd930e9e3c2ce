using System.CommandLine;
using System.Text.Json;

namespace Pipeline.Cli.Commands;

/// <summary>`trace &lt;message-id&gt;`: every accounting line of the message (BounceProcessor, by Message-ID or pipeline id)
/// and, for each pipeline id found, the recipients still in the Dispatcher's spool and their state.</summary>
public static class TraceCommand
{
    public static Command Build(TextWriter output, TextWriter error)
    {
        var id = new Argument<string>("message-id") { Description = "Message-ID header or pipeline id (32 hex digits)" };
        var command = new Command("trace", "Follow one message through the accounting log and the spool");
        command.Arguments.Add(id);
        command.SetAction(CliContext.Action(output, error, async (context, ct) =>
        {
            var wanted = context.Parse(id)!;
            JsonElement? accounting = null;
            try
            {
                accounting = await context.Bounce.GetAsync($"api/v1/messages/{Uri.EscapeDataString(wanted)}/trace", ct).ConfigureAwait(false);
            }
            catch (ManagementException e) when (e.Status == 404) { }

            // The spool knows messages by pipeline id: the one asked for, or those the accounting lines name.
            var pipelineIds = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            if (Guid.TryParse(wanted, out var guid)) pipelineIds.Add(guid.ToString("N"));
            foreach (var record in Records(accounting))
                if (record.GetProperty("fields").Text("pipelineId") is { Length: > 0 } p) pipelineIds.Add(p);
            var spooled = new List<JsonElement>();
            foreach (var pipelineId in pipelineIds)
            {
                try
                {
                    spooled.Add(await context.Dispatcher.GetAsync($"api/v1/messages/{pipelineId}", ct).ConfigureAwait(false));
                }
                catch (ManagementException e) when (e.Status == 404) { }
            }
            if (accounting is null && spooled.Count == 0)
                throw new ManagementException(404, $"message '{wanted}' is neither in the accounting log ({context.Bounce.BaseAddress}) nor in the spool ({context.Dispatcher.BaseAddress})");

            if (context.Json)
            {
                context.WriteJson(new { id = wanted, accounting = Records(accounting).ToList(), spool = spooled });
                return ExitCodes.Ok;
            }
            context.Output.WriteLine($"accounting log ({Records(accounting).Count()} records):");
            var log = new TableWriter("TYPE", "TIME LOGGED", "RCPT", "STATUS", "DIAGNOSTIC", "CATEGORY", "VMTA", "FILE");
            foreach (var record in Records(accounting))
            {
                var f = record.GetProperty("fields");
                log.Add(f.Text("type"), f.Text("timeLogged"), f.Text("rcpt"), f.Text("dsnStatus"), f.Text("dsnDiag"), f.Text("bounceCat"), f.Text("vmta"),
                    record.Text("file"));
            }
            if (log.Count > 0) log.Write(context.Output);
            context.Output.WriteLine();
            context.Output.WriteLine(spooled.Count == 0 ? "spool: no recipient of it is waiting" : "spool:");
            foreach (var message in spooled)
            {
                context.Output.WriteLine($"{message.Text("messageId")} in {message.Text("virtualMta")}, job {message.Text("jobId")}, from <{message.Text("mailFrom")}>, accepted {message.Text("acceptedAt")}");
                var table = new TableWriter("RCPT", "STATE", "PAUSED", "ATTEMPTS", "NEXT ATTEMPT").Numeric(3);
                foreach (var r in message.GetProperty("recipients").EnumerateArray())
                    table.Add(r.Text("address"), r.Text("state"), r.Text("paused"), r.Text("attempts"), r.Text("nextAttemptAt"));
                table.Write(context.Output);
            }
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static IEnumerable<JsonElement> Records(JsonElement? trace) =>
        trace is { } t && t.TryGetProperty("records", out var records) ? records.EnumerateArray() : [];
}
