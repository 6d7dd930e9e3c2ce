#!/usr/bin/env bash
# scripts/services.sh - the real infrastructure the tests run against (RabbitMQ, Redis, dnsmasq), as plain
# daemons on loopback, without systemd. Adapted from ../shared/reference/services.sh.
#
#   services.sh start   [rabbitmq|redis|dnsmasq|tools ...]  install what is missing, start what is not running
#                                                            (default: everything); a no-op when all is up
#   services.sh stop    [rabbitmq|redis|dnsmasq ...]        stop only what this script started (by PID file)
#   services.sh status                                      what runs, with PIDs; which packages are missing
#   services.sh env                                         `export ...` lines: eval "$(scripts/services.sh env)"
#   services.sh install [rabbitmq|redis|dnsmasq|tools ...]  apt-get install the missing Debian packages
#
# Services (all bound to 127.0.0.1 only):
#   rabbitmq  Debian rabbitmq-server 3.10, AMQP 127.0.0.1:$RABBIT_PORT (5672), guest/guest, node rabbit@localhost,
#             epmd 127.0.0.1:4369, distribution 127.0.0.1:$RABBIT_PORT+20000; vhost $RABBIT_VHOST (pipeline-test)
#             with full rights for guest, so tests never litter the default vhost. RABBIT_MGMT=1 adds the
#             management UI on 127.0.0.1:15672. RABBIT_FRESH=1 wipes the broker's state first.
#   redis     Debian redis-server 7.0, 127.0.0.1:$REDIS_PORT (6379), no persistence.
#   dnsmasq   authoritative-only DNS on 127.0.0.1:$DNS_PORT (5353, UDP+TCP) serving $DNS_CONF
#             (scripts/dns/test-domains.conf); anything not listed there is NXDOMAIN, nothing is forwarded.
#   tools     nothing to start: postfix (for /usr/sbin/smtp-sink and smtp-source, which tests start themselves),
#             swaks, libnet-ssleay-perl (swaks -tls), python3-dkim, opendkim-tools, dig, python3-pika (AMQP from Python);
#             dnsmasq-base and iproute2 for the Signer's opendkim check (a private dnsmasq in its own network namespace);
#             prometheus for promtool (the end-to-end test checks every service's /metrics with it).
#             chromium (headless) for the web monitor's end-to-end test and bench/monitor-screenshot.sh.
#
# State: ${PIPELINE_RUN_DIR:-/tmp/pipeline-run}/services. Must run as root (the broker runs as the rabbitmq user
# through Debian's wrapper). Environment: PIPELINE_RUN_DIR, RABBIT_PORT, RABBIT_VHOST, RABBIT_MGMT, RABBIT_FRESH,
# REDIS_PORT, DNS_PORT, DNS_CONF.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RUN=${PIPELINE_RUN_DIR:-/tmp/pipeline-run}/services
RABBIT_PORT=${RABBIT_PORT:-5672}
RABBIT_VHOST=${RABBIT_VHOST:-pipeline-test}
RABBIT_MGMT=${RABBIT_MGMT:-0}
REDIS_PORT=${REDIS_PORT:-6379}
DNS_PORT=${DNS_PORT:-5353}
DNS_CONF=${DNS_CONF:-$HERE/dns/test-domains.conf}
ALL_SERVICES=(rabbitmq redis dnsmasq)

now() { echo "${EPOCHREALTIME/,/.}"; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.2f", b-a}'; }
say() { printf '%-9s %s\n' "$1" "$2"; }
die() { echo "services.sh: $*" >&2; exit 1; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null && [ "$(ps -o stat= -p "$1" 2>/dev/null | cut -c1)" != Z ]; }
pid_from() { if [ -f "$1" ]; then tr -dc 0-9 < "$1"; fi; }
wait_gone() {  # wait_gone PID SECONDS -> 0 when gone
  for _ in $(seq 1 $(( $2 * 10 ))); do pid_alive "$1" || return 0; sleep 0.1; done
  return 1
}
kill_pid() {  # kill_pid PID NAME EXPECTED_COMM : only if the PID still runs the program we started (PIDs get reused)
  local pid=$1 name=$2 comm=$3
  pid_alive "$pid" || return 0
  [ "$(ps -o comm= -p "$pid" 2>/dev/null)" = "$comm" ] || { say "$name" "pid $pid is no longer $comm, left alone"; return 0; }
  kill "$pid" 2>/dev/null || true
  wait_gone "$pid" 15 || { say "$name" "pid $pid ignored TERM, sending KILL"; kill -9 "$pid" 2>/dev/null || true; wait_gone "$pid" 5 || true; }
}
need_root() { [ "$(id -u)" = 0 ] || die "must run as root"; }

# ------------------------------------------------------------------------------------------ packages
# Debian packages per service; `tools` are the SMTP/DKIM/DNS clients the tests use.
packages_for() {
  case "$1" in
    rabbitmq) echo rabbitmq-server ;;
    redis) echo redis-server redis-tools ;;
    dnsmasq|dns) echo dnsmasq-base bind9-dnsutils ;;
    tools) echo postfix swaks libnet-ssleay-perl python3-dkim opendkim-tools python3-pika dnsmasq-base iproute2 prometheus chromium ;;
    *) die "unknown service $1 (rabbitmq, redis, dnsmasq, tools)" ;;
  esac
}
# A package counts as present when what we use from it is there (cheaper and more to the point than dpkg).
package_present() {
  case "$1" in
    rabbitmq-server) [ -x /usr/sbin/rabbitmq-server ] && [ -x /usr/sbin/rabbitmqctl ] ;;
    redis-server) [ -x /usr/bin/redis-server ] ;;
    redis-tools) [ -x /usr/bin/redis-cli ] ;;
    dnsmasq-base) [ -x /usr/sbin/dnsmasq ] ;;
    bind9-dnsutils) [ -x /usr/bin/dig ] ;;
    postfix) [ -x /usr/sbin/smtp-sink ] && [ -x /usr/sbin/smtp-source ] && id postfix >/dev/null 2>&1 ;;
    swaks) [ -x /usr/bin/swaks ] ;;
    libnet-ssleay-perl) perl -MNet::SSLeay -e 1 2>/dev/null ;;
    python3-dkim) [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import dkim' 2>/dev/null ;;  # Debian's python, not pyenv's
    python3-pika) [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import pika' 2>/dev/null ;;   # bench/ingest_queue.py, README's publish example
    prometheus) [ -x /usr/bin/promtool ] ;;
    opendkim-tools) [ -x /usr/sbin/opendkim-genkey ] && [ -x /usr/sbin/opendkim-testmsg ] ;;
    iproute2) [ -x /usr/sbin/ip ] || [ -x /usr/bin/ip ] ;;  # the Signer's opendkim check brings up lo in a private namespace
    chromium) [ -x /usr/bin/chromium ] ;;  # the web monitor loaded headless (tests/EndToEnd.Tests/MonitorTests.cs)
    *) dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null | grep -q '^ii' ;;
  esac
}
missing_packages() {  # missing_packages SERVICE... -> names on stdout, one line
  local s p out=()
  for s in "$@"; do for p in $(packages_for "$s"); do package_present "$p" || out+=("$p"); done; done
  echo "${out[*]}"
}
install_packages() {  # install_packages SERVICE... : apt-get install only what is missing
  need_root
  local missing; missing=$(missing_packages "$@")
  [ -n "$missing" ] || return 0
  mkdir -p "$RUN"
  local log=$RUN/apt-install.log t0; t0=$(now)
  say install "$missing (log: $log)"
  # Without systemd, a package's postinst would run its init script through invoke-rc.d and start a system
  # instance on the default port (redis 6379, rabbitmq 5672, postfix 25) that collides with ours. A policy-rc.d
  # that exits 101 forbids that; Docker-built images usually carry one already, otherwise we add ours for the
  # duration of the install and remove it after.
  local own_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\n# temporary, from scripts/services.sh install\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d; own_policy=1
  fi
  # postfix asks what kind of mail server to be; we only want its smtp-sink/smtp-source binaries.
  echo 'postfix postfix/main_mailer_type select No configuration' | debconf-set-selections
  local rc=0
  # shellcheck disable=SC2086  # $missing is a list of package names, split on purpose
  {
    apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      -o DPkg::Lock::Timeout=300 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold $missing
  } > "$log" 2>&1 || rc=$?
  [ "$own_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
  if [ "$rc" != 0 ]; then tail -n 40 "$log" >&2; die "apt-get install failed (exit $rc); see $log"; fi
  local still; still=$(missing_packages "$@")
  [ -z "$still" ] || die "installed, but still missing: $still; see $log"
  say install "done in $(since "$t0") s"
}

# ------------------------------------------------------------------------------------------ rabbitmq
rabbit_env() {
  export RABBITMQ_NODENAME=rabbit@localhost          # not rabbit@$(hostname): works even where the hostname does not resolve
  export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  export RABBITMQ_NODE_PORT=$RABBIT_PORT
  export RABBITMQ_DIST_PORT=$((RABBIT_PORT + 20000))
  export ERL_EPMD_ADDRESS=127.0.0.1                  # epmd (started by the first Erlang node) listens on loopback only
  export RABBITMQ_MNESIA_BASE=$RUN/rabbitmq/mnesia
  export RABBITMQ_LOG_BASE=$RUN/rabbitmq/log
  export RABBITMQ_PID_FILE=$RUN/rabbitmq/rabbitmq.pid
  # own plugins file: /etc/rabbitmq/enabled_plugins written by a root `rabbitmq-plugins` is not writable by the
  # broker, which then refuses to boot (failed_to_update_enabled_plugins_file)
  export RABBITMQ_ENABLED_PLUGINS_FILE=$RUN/rabbitmq/enabled_plugins
  local erl='-kernel inet_dist_use_interface {127,0,0,1}'
  [ "$RABBIT_MGMT" = 1 ] && erl="$erl -rabbitmq_management tcp_config [{ip,\"127.0.0.1\"},{port,15672}]"
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="$erl"
}
rabbit_ready() { rabbitmq-diagnostics -q check_running >/dev/null 2>&1; }
# The tests' vhost. A marker keyed by the broker's PID skips the two rabbitmqctl calls (about 1 s each) on a
# second start; the vhost lives in the broker's mnesia, so a new broker process re-checks.
rabbit_vhost() {
  local pid; pid=$(pid_from "$RABBITMQ_PID_FILE")
  local marker=$RUN/rabbitmq/vhost.ok
  [ -n "$pid" ] && [ "$(cat "$marker" 2>/dev/null)" = "$pid $RABBIT_VHOST" ] && return 0
  local out
  if ! out=$(rabbitmqctl -q add_vhost "$RABBIT_VHOST" 2>&1); then
    echo "$out" | grep -qi 'already' || die "rabbitmqctl add_vhost $RABBIT_VHOST failed: $out"
  fi
  rabbitmqctl -q set_permissions -p "$RABBIT_VHOST" guest '.*' '.*' '.*' >/dev/null 2>&1 \
    || die "rabbitmqctl set_permissions -p $RABBIT_VHOST guest failed"
  [ -n "$pid" ] && echo "$pid $RABBIT_VHOST" > "$marker"
  say rabbitmq "vhost $RABBIT_VHOST ready (guest: configure, write, read)"
}
rabbit_start() {
  rabbit_env
  local pid; pid=$(pid_from "$RABBITMQ_PID_FILE")
  if pid_alive "$pid" && port_open "$RABBIT_PORT"; then
    say rabbitmq "already running (pid $pid) on 127.0.0.1:$RABBIT_PORT"; rabbit_vhost; return 0
  fi
  if port_open "$RABBIT_PORT"; then
    # someone else's broker (e.g. started by the reference script): use it if it is node rabbit@localhost
    rabbit_ready || die "127.0.0.1:$RABBIT_PORT is in use by something that is not node rabbit@localhost"
    say rabbitmq "already running on 127.0.0.1:$RABBIT_PORT (not started by this script; left alone)"
    rabbit_vhost; return 0
  fi
  [ "${RABBIT_FRESH:-0}" = 1 ] && rm -rf "$RUN/rabbitmq"
  mkdir -p "$RABBITMQ_MNESIA_BASE" "$RABBITMQ_LOG_BASE"
  rm -f "$RUN/rabbitmq/vhost.ok"
  chmod a+rx "$RUN" "$(dirname "$RUN")"            # the broker runs as the rabbitmq user and must reach $RUN/rabbitmq
  if [ "$RABBIT_MGMT" = 1 ]; then echo '[rabbitmq_management].' > "$RABBITMQ_ENABLED_PLUGINS_FILE"; else echo '[].' > "$RABBITMQ_ENABLED_PLUGINS_FILE"; fi
  chown -R rabbitmq:rabbitmq "$RUN/rabbitmq"
  # remember whether epmd was already there, so that stop only ends an epmd that this start brought up
  # (by its port, not by name: a killed epmd can linger here as a zombie, PID 1 reaps late)
  local epmd_before=0; port_open 4369 && epmd_before=1
  local t0; t0=$(now)
  rabbitmq-server -detached            # Debian wrapper: as root it does `su rabbitmq -c .../rabbitmq-server -detached`
  for _ in $(seq 1 600); do port_open "$RABBIT_PORT" && break; sleep 0.1; done
  port_open "$RABBIT_PORT" || die "rabbitmq did not open 127.0.0.1:$RABBIT_PORT within 60 s; see $RABBITMQ_LOG_BASE/"
  # port open = listeners up; check_running = the rabbit application finished booting
  # (`rabbitmqctl await_startup` fails at once while the node is not yet registered with epmd, and polls every 10 s later)
  for _ in $(seq 1 60); do rabbit_ready && break; sleep 0.25; done
  rabbit_ready || die "rabbitmq port open but check_running fails; see $RABBITMQ_LOG_BASE/"
  if [ "$epmd_before" = 0 ]; then
    ps -eo pid=,stat=,comm= | awk '$3=="epmd" && $2 !~ /^Z/ {print $1}' | head -n1 > "$RUN/rabbitmq/epmd.pid"
  else rm -f "$RUN/rabbitmq/epmd.pid"; fi
  say rabbitmq "ready in $(since "$t0") s: amqp://guest:guest@127.0.0.1:$RABBIT_PORT/ (pid $(pid_from "$RABBITMQ_PID_FILE"), node $RABBITMQ_NODENAME$([ "$RABBIT_MGMT" = 1 ] && echo ", mgmt http://127.0.0.1:15672/"))"
  rabbit_vhost
}
rabbit_stop() {
  rabbit_env
  local pid; pid=$(pid_from "$RABBITMQ_PID_FILE")
  if pid_alive "$pid"; then
    local t0; t0=$(now)
    rabbitmqctl shutdown >/dev/null 2>&1 || true     # graceful; returns when the VM has exited
    kill_pid "$pid" rabbitmq beam.smp
    say rabbitmq "stopped (pid $pid) in $(since "$t0") s"
  else
    say rabbitmq "not running (no live pid in $RABBITMQ_PID_FILE)"
  fi
  rm -f "$RABBITMQ_PID_FILE" "$RUN/rabbitmq/vhost.ok"
  local epid; epid=$(pid_from "$RUN/rabbitmq/epmd.pid")
  if pid_alive "$epid"; then kill_pid "$epid" epmd epmd; say epmd "stopped (pid $epid)"; fi
  rm -f "$RUN/rabbitmq/epmd.pid"
}

# ------------------------------------------------------------------------------------------ redis
redis_ping() { [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; }
redis_start() {
  mkdir -p "$RUN/redis"
  local pid; pid=$(pid_from "$RUN/redis/redis.pid")
  if pid_alive "$pid" && port_open "$REDIS_PORT"; then say redis "already running (pid $pid) on 127.0.0.1:$REDIS_PORT"; return 0; fi
  if port_open "$REDIS_PORT"; then
    redis_ping || die "127.0.0.1:$REDIS_PORT is in use by something that does not answer Redis PING"
    say redis "already running on 127.0.0.1:$REDIS_PORT (not started by this script; left alone)"; return 0
  fi
  local t0; t0=$(now)
  # no persistence: test state must not survive a restart (save "" = no RDB snapshots, no AOF)
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --protected-mode yes \
    --save '' --appendonly no --dir "$RUN/redis" \
    --pidfile "$RUN/redis/redis.pid" --logfile "$RUN/redis/redis.log"
  for _ in $(seq 1 100); do redis_ping && break; sleep 0.05; done
  redis_ping || die "redis not answering PING; see $RUN/redis/redis.log"
  for _ in $(seq 1 20); do [ -s "$RUN/redis/redis.pid" ] && break; sleep 0.05; done   # written just after listen
  say redis "ready in $(since "$t0") s: 127.0.0.1:$REDIS_PORT (pid $(pid_from "$RUN/redis/redis.pid"), $(redis-server --version | awk '{print $3}'))"
}
redis_stop() {
  local pid; pid=$(pid_from "$RUN/redis/redis.pid")
  if pid_alive "$pid"; then
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
    wait_gone "$pid" 5 || kill_pid "$pid" redis redis-server
    say redis "stopped (pid $pid)"
  else
    say redis "not running (no live pid in $RUN/redis/redis.pid)"
  fi
  rm -f "$RUN/redis/redis.pid"
}

# ------------------------------------------------------------------------------------------ dnsmasq
dns_query() {  # dns_query NAME TYPE -> answers, one per line (dig if installed, else dnspython from python3-dkim)
  if command -v dig >/dev/null; then
    dig +short +time=1 +tries=1 -p "$DNS_PORT" @127.0.0.1 "$1" "$2"
  elif /usr/bin/python3 -c 'import dns.resolver' 2>/dev/null; then
    /usr/bin/python3 - "$1" "$2" "$DNS_PORT" <<'PY'
import sys, dns.resolver
r = dns.resolver.Resolver(configure=False); r.nameservers = ['127.0.0.1']; r.port = int(sys.argv[3]); r.lifetime = 1
try:
    for a in r.resolve(sys.argv[1], sys.argv[2]): print(a.to_text())
except dns.resolver.NXDOMAIN: print("NXDOMAIN")
PY
  else
    return 2
  fi
}
# ready = answers the MX of the default configuration's domain (proves it serves our file, not just that it listens)
dns_ready() { dns_query example.test MX 2>/dev/null | grep -q 'mx\.example\.test'; }
dns_start() {
  [ -f "$DNS_CONF" ] || die "DNS config $DNS_CONF not found"
  mkdir -p "$RUN/dnsmasq"
  local pid; pid=$(pid_from "$RUN/dnsmasq/dnsmasq.pid")
  if pid_alive "$pid"; then say dnsmasq "already running (pid $pid) on 127.0.0.1:$DNS_PORT"; return 0; fi
  if port_open "$DNS_PORT"; then
    dns_ready || die "127.0.0.1:$DNS_PORT is in use by something that does not serve $DNS_CONF (no MX for example.test)"
    say dnsmasq "already running on 127.0.0.1:$DNS_PORT (not started by this script; left alone)"; return 0
  fi
  # local=/#/ makes every name local: unlisted names get NXDOMAIN and nothing ever leaves the machine
  cat > "$RUN/dnsmasq/dnsmasq.conf" <<EOF
# generated by scripts/services.sh
port=$DNS_PORT
listen-address=127.0.0.1
bind-interfaces
no-resolv
no-poll
no-hosts
no-negcache
local=/#/
user=root
pid-file=$RUN/dnsmasq/dnsmasq.pid
log-facility=$RUN/dnsmasq/dnsmasq.log
cache-size=10000
conf-file=$DNS_CONF
EOF
  local t0; t0=$(now)
  dnsmasq --conf-file="$RUN/dnsmasq/dnsmasq.conf" || die "dnsmasq failed to start; see $RUN/dnsmasq/dnsmasq.log"
  for _ in $(seq 1 100); do dns_ready && break; sleep 0.05; done
  dns_ready || die "dnsmasq started but does not answer MX example.test; see $RUN/dnsmasq/dnsmasq.log"
  say dnsmasq "ready in $(since "$t0") s: 127.0.0.1:$DNS_PORT udp+tcp (pid $(pid_from "$RUN/dnsmasq/dnsmasq.pid"), $DNS_CONF)"
}
dns_stop() {
  local pid; pid=$(pid_from "$RUN/dnsmasq/dnsmasq.pid")
  if pid_alive "$pid"; then kill_pid "$pid" dnsmasq dnsmasq; say dnsmasq "stopped (pid $pid)"
  else say dnsmasq "not running (no live pid in $RUN/dnsmasq/dnsmasq.pid)"; fi
  rm -f "$RUN/dnsmasq/dnsmasq.pid"
}

# ------------------------------------------------------------------------------------------ main
status() {
  rabbit_env
  show() {  # show NAME PIDFILE PORT
    local pid; pid=$(pid_from "$2")
    if pid_alive "$pid"; then say "$1" "running pid $pid 127.0.0.1:$3"
    elif port_open "$3"; then say "$1" "something not started by this script listens on 127.0.0.1:$3"
    else say "$1" "stopped"; fi
  }
  show rabbitmq "$RABBITMQ_PID_FILE" "$RABBIT_PORT"
  show redis "$RUN/redis/redis.pid" "$REDIS_PORT"
  show dnsmasq "$RUN/dnsmasq/dnsmasq.pid" "$DNS_PORT"
  local missing; missing=$(missing_packages "${ALL_SERVICES[@]}" tools)
  say packages "${missing:+missing: }${missing:-all installed}"
}
# Only test-facing variables: no ConnectionStrings__* here, those would silently override the configuration of
# every service or test host started from a shell that evaluated this.
envvars() {
  cat <<EOF
export RABBITMQ_URI=amqp://guest:guest@127.0.0.1:$RABBIT_PORT/
export PIPELINE_TEST_RABBITMQ=amqp://guest:guest@127.0.0.1:$RABBIT_PORT/$RABBIT_VHOST
export PIPELINE_TEST_REDIS=127.0.0.1:$REDIS_PORT
export PIPELINE_TEST_DNS=127.0.0.1:$DNS_PORT
# for rabbitmqctl / rabbitmq-diagnostics against this node:
export RABBITMQ_NODENAME=rabbit@localhost
EOF
}

start_one() {
  case "$1" in
    rabbitmq) rabbit_start ;;
    redis) redis_start ;;
    dnsmasq|dns) dns_start ;;
    tools) ;;  # installed only: tests start their own smtp-sink processes
    *) die "unknown service $1" ;;
  esac
}
stop_one() {
  case "$1" in
    rabbitmq) rabbit_stop ;;
    redis) redis_stop ;;
    dnsmasq|dns) dns_stop ;;
    *) die "unknown service $1" ;;
  esac
}

cmd=${1:-}; shift || true
svcs=("$@")
for s in "${svcs[@]}"; do   # check names up front: a typo must not half-run
  case "$s" in rabbitmq|redis|dnsmasq|dns|tools) ;; *) die "unknown service $s (rabbitmq, redis, dnsmasq, tools)" ;; esac
done
case "$cmd" in
  start)
    need_root; mkdir -p "$RUN"
    [ ${#svcs[@]} -gt 0 ] || svcs=("${ALL_SERVICES[@]}" tools)
    install_packages "${svcs[@]}"
    for s in "${svcs[@]}"; do start_one "$s"; done ;;
  stop)
    need_root
    [ ${#svcs[@]} -gt 0 ] || svcs=("${ALL_SERVICES[@]}")
    for s in "${svcs[@]}"; do stop_one "$s"; done ;;
  status) status ;;
  env) envvars ;;
  install)
    [ ${#svcs[@]} -gt 0 ] || svcs=("${ALL_SERVICES[@]}" tools)
    install_packages "${svcs[@]}"
    say install "present: $(for s in "${svcs[@]}"; do packages_for "$s"; done | tr '\n' ' ')" ;;
  *) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 2 ;;
esac
