using System.Globalization;
using System.Net;
using System.Text;
using Pipeline.Shared.Status;

namespace Pipeline.Ingest.Monitor;

/// <summary>The monitor as HTML, rendered on the server: the whole page for /monitor, the board alone for
/// /monitor/fragment (which the page's script fetches every Monitor:Refresh to re-render itself). Every value is
/// HTML-encoded: diagnostics, recipients and replies come from mail and are attacker-controlled.</summary>
public static class MonitorPage
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Page(MonitorView view, TimeSpan refresh, string scriptNonce)
    {
        var html = new StringBuilder(16384);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Pipeline monitor</title>")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><style>").Append(Css).Append("</style></head><body>")
            .Append("<header><h1>Pipeline monitor</h1><span class=\"muted\">refreshes every ")
            .Append(((int)refresh.TotalSeconds).ToString(Invariant)).Append(" s</span></header><main id=\"board\">");
        Board(html, view);
        html.Append("</main><script nonce=\"").Append(E(scriptNonce)).Append("\">")
            .Append("(function(){var board=document.getElementById('board');")
            .Append("var url=location.pathname.replace(/\\/$/,'')+'/fragment';")
            .Append("async function refresh(){try{var r=await fetch(url,{cache:'no-store'});if(r.ok){board.innerHTML=await r.text();board.classList.remove('stale');}else{board.classList.add('stale');}}catch(e){board.classList.add('stale');}}")
            .Append("setInterval(refresh,").Append(((long)refresh.TotalMilliseconds).ToString(Invariant)).Append(");})();</script></body></html>");
        return html.ToString();
    }

    public static string Fragment(MonitorView view)
    {
        var html = new StringBuilder(12288);
        Board(html, view);
        return html.ToString();
    }

    private static void Board(StringBuilder html, MonitorView view)
    {
        html.Append("<p class=\"muted\" id=\"generated\">as of ").Append(E(Time(view.GeneratedAt))).Append(" UTC · ")
            .Append(view.Workers.Count.ToString(Invariant)).Append(" dispatcher worker(s) reporting</p>");
        if (view.Error is { } error) html.Append("<p class=\"error\">").Append(E(error)).Append("</p>");
        Overview(html, view);
        Queues(html, view);
        VirtualMtas(html, view);
        Recent(html, view);
    }

    private static void Overview(StringBuilder html, MonitorView view)
    {
        html.Append("<section id=\"overview\"><h2>Overview</h2><div class=\"cards\">");
        foreach (var t in view.Totals)
        {
            html.Append("<div class=\"card c-").Append(E(t.Counter)).Append("\"><div class=\"label\">").Append(E(t.Label))
                .Append("</div><div class=\"value\" data-counter=\"").Append(E(t.Counter)).Append("\">").Append(N(t.Total))
                .Append("</div><div class=\"muted\">").Append(N(t.LastHour)).Append(" last hour</div></div>");
        }
        html.Append("</div><div class=\"columns\"><div><h3>Rates per minute</h3>");
        var peak = Math.Max(1, view.Rates.Count == 0 ? 1 : view.Rates.Max(r => Math.Max(r.Accepted, r.Delivered + r.Deferred + r.Bounced)));
        html.Append("<table class=\"rates\"><thead><tr><th>minute</th><th>in</th><th>delivered</th><th>deferred</th><th>bounced</th><th>complaints</th><th class=\"wide\">in / out</th></tr></thead><tbody>");
        foreach (var r in Enumerable.Reverse(view.Rates))
        {
            html.Append("<tr><td>").Append(E(r.Minute.UtcDateTime.ToString("HH:mm", Invariant))).Append("</td><td>").Append(N(r.Accepted))
                .Append("</td><td>").Append(N(r.Delivered)).Append("</td><td>").Append(N(r.Deferred)).Append("</td><td>").Append(N(r.Bounced))
                .Append("</td><td>").Append(N(r.Complaints)).Append("</td><td class=\"wide\"><div class=\"bar in\" style=\"width:")
                .Append(Percent(r.Accepted, peak)).Append("%\"></div><div class=\"bar out\" style=\"width:")
                .Append(Percent(r.Delivered, peak)).Append("%\"></div></td></tr>");
        }
        html.Append("</tbody></table></div><div><h3>Bounce categories</h3>");
        if (view.BounceCategories.Count == 0) html.Append("<p class=\"muted\">no bounces yet</p>");
        else
        {
            Head(html, "category", "bounces");
            foreach (var c in view.BounceCategories)
                Row(html, c.Category, N(c.Count));
            html.Append("</tbody></table>");
        }
        html.Append("</div></div></section>");
    }

    private static void Queues(StringBuilder html, MonitorView view)
    {
        html.Append("<section id=\"queues\"><h2>Queues</h2>");
        if (view.Queues.Count == 0)
        {
            html.Append("<p class=\"muted\">no queues: nothing waiting on any reporting Dispatcher</p></section>");
            return;
        }
        Head(html, "VirtualMTA", "domain", "group", "worker", "queued", "deferred", "in flight", "oldest", "mode", "conns", "last error / reply");
        foreach (var fq in view.Queues)
        {
            var q = fq.Queue;
            html.Append("<tr class=\"queue").Append(q.Mode == "backoff" ? " backoff" : "").Append("\">");
            Cells(html, q.VirtualMta, q.Domain, q.Group, fq.Worker, N(q.Queued), N(q.Deferred), N(q.InFlight),
                fq.OldestAgeSeconds is { } age ? Age(age) : "");
            html.Append("<td><span class=\"mode ").Append(E(q.Mode)).Append("\">").Append(E(q.Mode)).Append("</span>");
            if (q.BackoffReason is { Length: > 0 } reason) html.Append("<div class=\"small\">").Append(E(reason)).Append("</div>");
            html.Append("</td>");
            Cells(html, $"{N(q.Connections)} / {N(q.ConnectionsAllWorkers)}");
            html.Append("<td class=\"diag\">");
            if (q.LastError is { Length: > 0 } lastError) html.Append("<span class=\"bad\">").Append(E(lastError)).Append("</span>");
            else html.Append(E(q.LastReply));
            html.Append("</td></tr>");
        }
        html.Append("</tbody></table></section>");
    }

    private static void VirtualMtas(StringBuilder html, MonitorView view)
    {
        html.Append("<section id=\"virtual-mtas\"><h2>VirtualMTAs and pools</h2>");
        Head(html, "VirtualMTA", "source IP", "host name", "pools", "workers", "domains", "queued", "deferred", "in flight", "conns", "backoff");
        foreach (var v in view.VirtualMtas)
            Row(html, v.Name, v.SourceIp, v.HostName, string.Join(", ", v.Pools), v.Workers.Count == 0 ? "none reporting" : string.Join(", ", v.Workers),
                N(v.Domains), N(v.Queued), N(v.Deferred), N(v.InFlight), N(v.Connections), N(v.InBackoff));
        html.Append("</tbody></table><div class=\"columns\"><div><h3>Pools</h3>");
        Head(html, "pool", "members", "queued", "deferred", "in flight");
        foreach (var p in view.Pools)
            Row(html, p.Name, string.Join(", ", p.Members), N(p.Queued), N(p.Deferred), N(p.InFlight));
        html.Append("</tbody></table></div><div>");
        if (view.Workers.Count > 0)
        {
            html.Append("<h3>Dispatcher workers</h3>");
            Head(html, "worker", "serves", "queues", "recipients", "reported");
            foreach (var w in view.Workers)
                Row(html, w.Worker, string.Join(", ", w.VirtualMtas), N(w.Queues), N(w.Recipients),
                    Age((long)Math.Max(0, (view.GeneratedAt - w.PublishedAt).TotalSeconds)) + " ago");
            html.Append("</tbody></table>");
        }
        html.Append("</div></div></section>");
    }

    private static void Recent(StringBuilder html, MonitorView view)
    {
        html.Append("<section id=\"recent\"><h2>Recent bounces and complaints</h2>");
        if (view.Recent.Count == 0)
        {
            html.Append("<p class=\"muted\">none yet</p></section>");
            return;
        }
        Head(html, "time", "type", "recipient", "category", "status", "VirtualMTA", "diagnostic");
        foreach (var r in view.Recent)
        {
            html.Append("<tr class=\"recent\">");
            Cells(html, Time(r.At), StatusCounter.Label(r.Type), r.Recipient, r.Category, r.Status, r.VirtualMta);
            html.Append("<td class=\"diag\">").Append(E(r.Diagnostic)).Append("</td></tr>");
        }
        html.Append("</tbody></table></section>");
    }

    /// <summary>Opens a table with its header row and body.</summary>
    private static void Head(StringBuilder html, params string[] columns)
    {
        html.Append("<table><thead><tr>");
        foreach (var column in columns) html.Append("<th>").Append(E(column)).Append("</th>");
        html.Append("</tr></thead><tbody>");
    }

    /// <summary>A plain row: one cell per value, each encoded.</summary>
    private static void Row(StringBuilder html, params string?[] values)
    {
        html.Append("<tr>");
        Cells(html, values);
        html.Append("</tr>");
    }

    /// <summary>One cell per value, each encoded.</summary>
    private static void Cells(StringBuilder html, params string?[] values)
    {
        foreach (var value in values) html.Append("<td>").Append(E(value)).Append("</td>");
    }

    private static string E(string? value) => WebUtility.HtmlEncode(value ?? "");
    private static string N(long value) => value.ToString("N0", Invariant);
    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", Invariant);
    private static string Percent(long value, long peak) => (100.0 * value / peak).ToString("0.#", Invariant);

    /// <summary>"45s", "12m05s", "3h20m", "2d04h": the age of the oldest message, as a queue operator reads it.</summary>
    public static string Age(long seconds) => seconds switch
    {
        < 60 => $"{seconds}s",
        < 3600 => $"{seconds / 60}m{seconds % 60:00}s",
        < 86400 => $"{seconds / 3600}h{seconds % 3600 / 60:00}m",
        _ => $"{seconds / 86400}d{seconds % 86400 / 3600:00}h",
    };

    private const string Css = """
        :root{--bg:#f6f7f9;--fg:#1d2330;--muted:#6b7280;--line:#dde1e7;--card:#fff;--in:#3b82f6;--out:#16a34a;--bad:#b91c1c;--warn:#b45309}
        *{box-sizing:border-box}body{margin:0;font:13px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;background:var(--bg);color:var(--fg)}
        header{display:flex;align-items:baseline;gap:1em;padding:10px 18px;background:#1d2330;color:#fff}header h1{font-size:17px;margin:0}
        header .muted{color:#b8c0cc}main{padding:6px 18px 24px}main.stale{opacity:.6}
        h2{font-size:15px;margin:18px 0 6px;border-bottom:1px solid var(--line);padding-bottom:3px}h3{font-size:13px;margin:10px 0 4px}
        .muted{color:var(--muted)}.small{font-size:11px;color:var(--warn)}.error{background:#fee2e2;color:var(--bad);padding:6px 10px;border-radius:4px}
        .cards{display:flex;flex-wrap:wrap;gap:8px}.card{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:6px 12px;min-width:120px}
        .card .label{color:var(--muted);text-transform:uppercase;font-size:10px;letter-spacing:.05em}.card .value{font-size:20px;font-weight:600}
        .c-d .value{color:var(--out)}.c-b .value,.c-rb .value,.c-f .value{color:var(--bad)}.c-t .value{color:var(--warn)}.c-accepted .value{color:var(--in)}
        .columns{display:flex;flex-wrap:wrap;gap:18px}.columns>div{flex:1 1 420px;min-width:0;overflow-x:auto}
        table{border-collapse:collapse;width:100%;background:var(--card);border:1px solid var(--line)}
        th,td{padding:3px 7px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top;white-space:nowrap}
        th{background:#eef0f4;font-weight:600;font-size:12px}td.diag{white-space:normal;word-break:break-word;max-width:520px;font-family:ui-monospace,monospace;font-size:11px}
        td.wide{width:30%}.bar{height:5px;border-radius:2px;margin:2px 0}.bar.in{background:var(--in)}.bar.out{background:var(--out)}
        .mode{padding:0 6px;border-radius:8px;font-size:11px}.mode.normal{background:#dcfce7;color:#166534}.mode.backoff{background:#fef3c7;color:var(--warn)}
        tr.backoff td{background:#fffbeb}.bad{color:var(--bad)}
        """;
}
