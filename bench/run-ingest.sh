#!/usr/bin/env bash
# bench/run-ingest.sh - accepted messages per second into RabbitMQ, over SMTP (Postfix's smtp-source) and over the
# HTTP API (curl, batches). Starts a Release build of Ingest against the shared RabbitMQ in a vhost of its own
# (pipeline-bench-ingest) with a durable queue bound to pipeline.accepted, counts what arrived there, and cleans up.
#
#   bench/run-ingest.sh                  defaults: 60000 SMTP messages, 600 HTTP batches of 100
#   SMTP_MESSAGES=20000 HTTP_BATCHES=200 HTTP_BATCH=100 HTTP_PARALLEL=8 SMTP_SESSIONS=20 bench/run-ingest.sh
#
# Needs root (rabbitmqctl add_vhost), scripts/services.sh start (RabbitMQ), Debian's postfix (smtp-source),
# python3-pika, curl. A message counts only once the broker holds it (publisher confirms): the rate is
# messages in the queue / wall time of the load.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
SMTP_MESSAGES=${SMTP_MESSAGES:-60000}
SMTP_SESSIONS=${SMTP_SESSIONS:-20}
HTTP_BATCHES=${HTTP_BATCHES:-600}
HTTP_BATCH=${HTTP_BATCH:-100}
HTTP_PARALLEL=${HTTP_PARALLEL:-8}
VHOST=pipeline-bench-ingest
NODE=${RABBITMQ_NODENAME:-rabbit@localhost}   # the node scripts/services.sh starts
AMQP="amqp://guest:guest@127.0.0.1:5672/$VHOST"
QUEUE=bench.ingest.accepted
ART=${ART:-/tmp/art-bench-ingest}
WORK=$(mktemp -d /tmp/bench-ingest.XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
SMTP_PORT=$(free_port); HTTP_PORT=$(free_port)
INGEST_PID=

cleanup() {
  [ -n "$INGEST_PID" ] && kill "$INGEST_PID" 2>/dev/null && wait "$INGEST_PID" 2>/dev/null || true
  /usr/bin/python3 bench/ingest_queue.py delete "$AMQP" "$QUEUE" 2>/dev/null || true
  rabbitmqctl -n "$NODE" -q delete_vhost "$VHOST" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== build (Release) into $ART"
dotnet build src/Ingest -c Release --artifacts-path "$ART" -v q -nologo >/dev/null
rabbitmqctl -n "$NODE" -q add_vhost "$VHOST" >/dev/null 2>&1 || true
rabbitmqctl -n "$NODE" -q set_permissions -p "$VHOST" guest '.*' '.*' '.*' >/dev/null
/usr/bin/python3 bench/ingest_queue.py declare "$AMQP" "$QUEUE"
/usr/bin/python3 bench/ingest_queue.py purge "$AMQP" "$QUEUE"

echo "== start Ingest: SMTP 127.0.0.1:$SMTP_PORT, HTTP 127.0.0.1:$HTTP_PORT, broker vhost $VHOST"
# Log level Warning: a console line per accepted message would measure the terminal, not Ingest.
ConnectionStrings__RabbitMq=$AMQP ConnectionStrings__Redis= \
Ingest__Smtp__Listen=127.0.0.1:$SMTP_PORT Ingest__Http__Listen=127.0.0.1:$HTTP_PORT \
Ingest__Http__ApiKeys__0=bench-key Ingest__Smtp__MaxSessions=1000 Log__Level=Warning \
  dotnet "$ART/bin/Ingest/release/Ingest.dll" > "$WORK/ingest.log" 2>&1 &
INGEST_PID=$!
for _ in $(seq 1 300); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HTTP_PORT/readyz")" = 200 ] && break; sleep 0.1
done
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HTTP_PORT/readyz")" = 200 ] || { cat "$WORK/ingest.log"; echo "Ingest not ready"; exit 1; }
# warm-up (JIT, broker channel), then empty the queue
smtp-source -d -s 4 -m 400 -l 4096 -f bench@example.com -t rcpt@example.net "127.0.0.1:$SMTP_PORT"
sleep 1; /usr/bin/python3 bench/ingest_queue.py purge "$AMQP" "$QUEUE"

now() { date +%s.%N; }
# CPU seconds (user+system) a process used so far, from /proc: shows what one message costs Ingest and the broker.
cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat" 2>/dev/null || echo 0; }
BROKER_PID=$(tr -dc 0-9 < "${PIPELINE_RUN_DIR:-/tmp/pipeline-run}/services/rabbitmq/rabbitmq.pid" 2>/dev/null || echo 0)
usage() {  # usage LABEL INGEST_CPU0 BROKER_CPU0 COUNT
  awk -v l="$1" -v i0="$2" -v i1="$(cpu "$INGEST_PID")" -v b0="$3" -v b1="$(cpu "$BROKER_PID")" -v n="$4" \
    'BEGIN { printf "%s CPU: Ingest %.1f s (%.0f us/msg), RabbitMQ %.1f s (%.0f us/msg)\n", l, i1-i0, (i1-i0)*1e6/n, b1-b0, (b1-b0)*1e6/n }'
}
rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%.0f", n / (b - a) }'; }
wait_count() {  # wait until the queue holds $1 messages (the last confirms may trail the clients by a moment)
  local n=0
  for _ in $(seq 1 100); do n=$(/usr/bin/python3 bench/ingest_queue.py count "$AMQP" "$QUEUE"); [ "$n" -ge "$1" ] && break; sleep 0.1; done
  echo "$n"
}

echo "== SMTP: smtp-source -s $SMTP_SESSIONS -m $SMTP_MESSAGES -l 4096 (one session per client, reused: -d)"
i0=$(cpu "$INGEST_PID"); b0=$(cpu "$BROKER_PID")
t0=$(now)
smtp-source -d -s "$SMTP_SESSIONS" -m "$SMTP_MESSAGES" -l 4096 -f bench@example.com -t rcpt@example.net "127.0.0.1:$SMTP_PORT"
t1=$(now)
smtp_count=$(wait_count "$SMTP_MESSAGES")
usage SMTP "$i0" "$b0" "$smtp_count"
echo "SMTP: $smtp_count of $SMTP_MESSAGES messages in RabbitMQ in $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}') s: $(rate "$smtp_count" "$t0" "$t1") msg/s"
/usr/bin/python3 bench/ingest_queue.py purge "$AMQP" "$QUEUE"

echo "== SMTP: smtp-source -s $SMTP_SESSIONS -m $((SMTP_MESSAGES / 4)) -l 4096 (a new connection per message)"
t0=$(now)
smtp-source -s "$SMTP_SESSIONS" -m "$((SMTP_MESSAGES / 4))" -l 4096 -f bench@example.com -t rcpt@example.net "127.0.0.1:$SMTP_PORT"
t1=$(now)
conn_count=$(wait_count "$((SMTP_MESSAGES / 4))")
echo "SMTP, connection per message: $conn_count messages in RabbitMQ in $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}') s: $(rate "$conn_count" "$t0" "$t1") msg/s"
/usr/bin/python3 bench/ingest_queue.py purge "$AMQP" "$QUEUE"

echo "== HTTP: $HTTP_BATCHES batches of $HTTP_BATCH recipients (each its own ~4 KB message), $HTTP_PARALLEL in parallel"
/usr/bin/python3 - "$HTTP_BATCH" > "$WORK/batch.json" <<'PY'
import json, sys
n = int(sys.argv[1])
to = [f"r{i}@example.net" for i in range(n)]
print(json.dumps({"from": "Bench <bench@example.com>", "to": to, "subject": "Hello {{name}}",
                  "text": "Dear {{name}},\n" + ("x" * 76 + "\n") * 50,
                  "variables": {r: {"name": f"Reader {i}"} for i, r in enumerate(to)}}))
PY
i0=$(cpu "$INGEST_PID"); b0=$(cpu "$BROKER_PID")
t0=$(now)
seq 1 "$HTTP_BATCHES" | xargs -P "$HTTP_PARALLEL" -I{} curl -s -o /dev/null -w '%{http_code}\n' \
  -H 'Content-Type: application/json' -H 'X-Api-Key: bench-key' --data-binary @"$WORK/batch.json" \
  "http://127.0.0.1:$HTTP_PORT/api/v1/messages" > "$WORK/http-codes.txt"
t1=$(now)
expected=$((HTTP_BATCHES * HTTP_BATCH))
http_count=$(wait_count "$expected")
usage HTTP "$i0" "$b0" "$http_count"
echo "HTTP status codes: $(sort "$WORK/http-codes.txt" | uniq -c | tr '\n' ' ')"
echo "HTTP: $http_count of $expected messages in RabbitMQ in $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}') s: $(rate "$http_count" "$t0" "$t1") msg/s"
grep -E 'ERR|FTL' "$WORK/ingest.log" | head -5 || true
