using System.CommandLine;
using System.Globalization;

namespace Pipeline.Cli.Commands;

/// <summary>`show queues [--vmta] [--domain]`, `show topdomains [--limit]`, `show vmtas`, `show pauses`.</summary>
public static class ShowCommands
{
    public static Command Build(TextWriter output, TextWriter error)
    {
        var show = new Command("show", "Show queues, top domains, VirtualMTAs or pauses");

        var vmta = new Option<string?>("--vmta") { Description = "Only this VirtualMTA's queues" };
        var domain = new Option<string?>("--domain") { Description = "Only queues towards this domain" };
        var queues = new Command("queues", "Every queue (VirtualMTA/domain): recipients queued and deferred, mode, connections, last error");
        queues.Options.Add(vmta);
        queues.Options.Add(domain);
        queues.SetAction(CliContext.Action(output, error, async (context, ct) =>
        {
            var rows = await context.Dispatcher.GetAsync("api/v1/queues", ct).ConfigureAwait(false);
            var wantVmta = context.Parse(vmta);
            var wantDomain = context.Parse(domain);
            var selected = rows.EnumerateArray().Where(q =>
                (wantVmta is null || q.Text("virtualMta").Equals(wantVmta, StringComparison.OrdinalIgnoreCase))
                && (wantDomain is null || q.Text("domain").Equals(wantDomain, StringComparison.OrdinalIgnoreCase))).ToList();
            if (context.Json)
            {
                context.WriteJson(selected);
                return ExitCodes.Ok;
            }
            // Pauses are their own resource: a queue is paused by its own pause or its VirtualMTA's.
            var pauses = (await context.Dispatcher.GetAsync("api/v1/pauses", ct).ConfigureAwait(false)).EnumerateArray().ToList();
            string Paused(string vmta, string domain) =>
                pauses.Any(p => p.Text("kind") == "queue" && p.Text("virtualMta").Equals(vmta, StringComparison.OrdinalIgnoreCase)
                    && p.Text("domain").Equals(domain, StringComparison.OrdinalIgnoreCase)) ? "yes"
                : pauses.Any(p => p.Text("kind") == "vmta" && p.Text("virtualMta").Equals(vmta, StringComparison.OrdinalIgnoreCase)) ? "vmta"
                : "";
            var now = DateTimeOffset.UtcNow;
            var table = new TableWriter("QUEUE", "MODE", "PAUSED", "QUEUED", "DEFERRED", "INFLIGHT", "CONNS", "OLDEST", "LAST ERROR").Numeric(3, 4, 5, 6);
            foreach (var q in selected)
                table.Add($"{q.Text("virtualMta")}/{q.Text("domain")}", q.Text("mode"), Paused(q.Text("virtualMta"), q.Text("domain")), q.Text("queued"),
                    q.Text("deferred"), q.Text("inFlight"), q.Text("connectionsAllWorkers"), q.Age("oldest", now), q.Text("lastError"));
            table.Write(context.Output);
            return ExitCodes.Ok;
        }));
        show.Subcommands.Add(queues);

        var limit = new Option<int>("--limit") { Description = "How many domains", DefaultValueFactory = _ => 20 };
        var top = new Command("topdomains", "Destination domains with the most recipients waiting, across VirtualMTAs");
        top.Options.Add(limit);
        top.SetAction(CliContext.Action(output, error, async (context, ct) =>
        {
            var rows = await context.Dispatcher.GetAsync($"api/v1/domains/top?limit={context.Parse(limit).ToString(CultureInfo.InvariantCulture)}", ct).ConfigureAwait(false);
            if (context.Json)
            {
                context.WriteJson(rows);
                return ExitCodes.Ok;
            }
            var now = DateTimeOffset.UtcNow;
            var table = new TableWriter("DOMAIN", "RCPTS", "QUEUED", "DEFERRED", "INFLIGHT", "VMTAS", "OLDEST").Numeric(1, 2, 3, 4, 5);
            foreach (var d in rows.EnumerateArray())
                table.Add(d.Text("domain"), d.Text("recipients"), d.Text("queued"), d.Text("deferred"), d.Text("inFlight"), d.Text("virtualMtas"), d.Age("oldest", now));
            table.Write(context.Output);
            return ExitCodes.Ok;
        }));
        show.Subcommands.Add(top);

        var vmtas = new Command("vmtas", "VirtualMTAs: source IP, host name, pools, recipients waiting, paused, warm-up cap");
        vmtas.SetAction(CliContext.Action(output, error, async (context, ct) =>
        {
            var rows = await context.Dispatcher.GetAsync("api/v1/vmtas", ct).ConfigureAwait(false);
            if (context.Json)
            {
                context.WriteJson(rows);
                return ExitCodes.Ok;
            }
            var table = new TableWriter("VMTA", "SOURCE IP", "HOST NAME", "POOLS", "QUEUED", "DEFERRED", "INFLIGHT", "PAUSED", "WARM-UP CAP", "SERVED HERE")
                .Numeric(4, 5, 6, 8);
            foreach (var v in rows.EnumerateArray())
            {
                var paused = v.Flag("paused") ? "yes" : v.Text("pausedQueues") is { Length: > 0 } q ? $"queues: {q}" : "no";
                table.Add(v.Text("name"), v.Text("sourceIp"), v.Text("hostName"), v.Text("pools"), v.Text("queued"), v.Text("deferred"),
                    v.Text("inFlight"), paused, v.Text("warmUpCap"), v.Text("served"));
            }
            table.Write(context.Output);
            return ExitCodes.Ok;
        }));
        show.Subcommands.Add(vmtas);

        var pauses = new Command("pauses", "Pauses in force (across every Dispatcher sharing the Redis)");
        pauses.SetAction(CliContext.Action(output, error, async (context, ct) =>
        {
            var rows = await context.Dispatcher.GetAsync("api/v1/pauses", ct).ConfigureAwait(false);
            if (context.Json)
            {
                context.WriteJson(rows);
                return ExitCodes.Ok;
            }
            var now = DateTimeOffset.UtcNow;
            var table = new TableWriter("PAUSED", "KIND", "SINCE");
            foreach (var p in rows.EnumerateArray())
            {
                var what = p.Text("kind") switch
                {
                    "queue" => $"{p.Text("virtualMta")}/{p.Text("domain")}",
                    "vmta" => p.Text("virtualMta"),
                    _ => p.Text("jobId"),
                };
                table.Add(what, p.Text("kind"), p.Age("pausedAt", now));
            }
            table.Write(context.Output);
            return ExitCodes.Ok;
        }));
        show.Subcommands.Add(pauses);
        return show;
    }
}
