#!/usr/bin/env bash
# bench/monitor-screenshot.sh [output.png]: starts the standalone host (all four services in one process, no broker),
# runs a load through it and photographs the web monitor with headless Chromium (docs/monitor.png by default).
#
# The load: smtp-source sends to Ingest on 127.0.0.1:2525
#   - user@example.test  routed to Postfix's smtp-sink on 127.0.0.1:2626 (accepts; MaxMsgRate 40/s keeps a queue),
#   - user@defer.test    routed to an smtp-sink on :2627 that answers RCPT with 451 (deferred, stays queued),
#   - user@gone.test     routed to an smtp-sink on :2628 that answers RCPT with 550 5.1.1 (bounces, with a category).
# Needs postfix (smtp-sink, smtp-source) and chromium: `scripts/services.sh install tools`.
# Ports 2525, 8080 and 2626-2628 must be free (SMTP_PORT, HTTP_PORT, SINK_PORT override them; the sinks use
# SINK_PORT, +1 and +2). Everything started here is stopped by PID on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-docs/monitor.png}
SMTP_PORT=${SMTP_PORT:-2525}
HTTP_PORT=${HTTP_PORT:-8080}
SINK_PORT=${SINK_PORT:-2626}
ART=${ARTIFACTS:-/tmp/art-monitor-screenshot}
WORK=$(mktemp -d /tmp/monitor-screenshot.XXXXXX)
chmod 0777 "$WORK"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

for tool in /usr/sbin/smtp-sink /usr/sbin/smtp-source /usr/bin/chromium; do
  [ -x "$tool" ] || { echo "$tool is missing: run scripts/services.sh install tools" >&2; exit 1; }
done

echo "building the standalone host ($ART)"
dotnet build src/Standalone -c Release --artifacts-path "$ART" -v quiet -nologo >/dev/null

# The shipped configuration with this run's ports, folders and three receiving domains.
python3 - "$WORK" "$SMTP_PORT" "$HTTP_PORT" "$SINK_PORT" <<'PY'
import json, sys
work, smtp, http, sink = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
c = json.load(open("config/pipeline.json"))
c.pop("ConnectionStrings", None)
c["Ingest"]["Smtp"]["Listen"] = f"127.0.0.1:{smtp}"
c["Ingest"]["Http"]["Listen"] = f"127.0.0.1:{http}"
c["VirtualMtas"] = {"mta1": {"SourceIp": "127.0.0.1", "HostName": "mta1.example.test"},
                    "mta2": {"SourceIp": "127.0.0.2", "HostName": "mta2.example.test"}}
c["Pools"] = {"default": ["mta1", "mta2"]}
d = c.setdefault("Domains", {})
d["example.test"] = {"Route": f"127.0.0.1:{sink}", "MaxMsgRate": "40/s", "MaxSmtpOut": 4}
d["defer.test"] = {"Route": f"127.0.0.1:{sink + 1}", "RetryAfter": "1m"}
d["gone.test"] = {"Route": f"127.0.0.1:{sink + 2}"}
c["Dkim"] = [{"Domain": "example.test", "Selector": "s1", "KeyFile": f"{work}/dkim/example.test.s1.pem"}]
c.setdefault("Dispatcher", {})["DataDirectory"] = f"{work}/dispatcher"
c["Dispatcher"]["StatusInterval"] = "1s"
c.setdefault("BounceProcessor", {})["AccountingDirectory"] = f"{work}/acct"
c["Monitor"] = {"Refresh": "2s", "RateMinutes": 8}
json.dump(c, open(f"{work}/pipeline.json", "w"), indent=2)
PY

/usr/sbin/smtp-sink -u postfix "127.0.0.1:$SINK_PORT" 256 & PIDS+=($!)
/usr/sbin/smtp-sink -u postfix -r RCPT -b "451 4.7.1 Greylisted, please try again later" "127.0.0.1:$((SINK_PORT + 1))" 64 & PIDS+=($!)
/usr/sbin/smtp-sink -u postfix -f RCPT -B "550 5.1.1 <user@gone.test>: Recipient address rejected: User unknown" "127.0.0.1:$((SINK_PORT + 2))" 64 & PIDS+=($!)

PIPELINE_CONFIG="$WORK/pipeline.json" dotnet "$ART/bin/Standalone/release/Standalone.dll" >"$WORK/standalone.log" 2>&1 & PIDS+=($!)
for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$HTTP_PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$HTTP_PORT/healthz" >/dev/null || { cat "$WORK/standalone.log" >&2; exit 1; }

echo "load: 3000 messages to example.test, 40 to defer.test, 25 to gone.test"
/usr/sbin/smtp-source -s 8 -m 3000 -l 2048 -f sender@example.test -t user@example.test "127.0.0.1:$SMTP_PORT" & PIDS+=($!)
/usr/sbin/smtp-source -s 2 -m 40 -f sender@example.test -t user@defer.test "127.0.0.1:$SMTP_PORT" & PIDS+=($!)
/usr/sbin/smtp-source -s 2 -m 25 -f sender@example.test -t user@gone.test "127.0.0.1:$SMTP_PORT" & PIDS+=($!)
sleep "${LOAD_SECONDS:-25}"

mkdir -p "$(dirname "$OUT")"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$WORK/chromium" \
  --screenshot="$OUT" --window-size=1400,1000 "http://127.0.0.1:$HTTP_PORT/monitor" 2>/dev/null
echo "screenshot: $OUT"
curl -fsS "http://127.0.0.1:$HTTP_PORT/monitor/data.json" | python3 -c 'import json,sys; v=json.load(sys.stdin); print("totals:", {t["counter"]: t["total"] for t in v["totals"]}); print("queues:", len(v["queues"]))'
