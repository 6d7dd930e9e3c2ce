#!/usr/bin/env bash
# scripts/private-rabbitmq.sh - a throw-away RabbitMQ node of its own, for tests that must stop a broker (the
# shared one on 5672 is never stopped). Same Debian rabbitmq-server as scripts/services.sh, own node name, ports
# and directories; everything under DIR.
#
#   private-rabbitmq.sh start DIR AMQP_PORT DIST_PORT   start (or restart, keeping its data) and wait until ready
#   private-rabbitmq.sh stop  DIR AMQP_PORT DIST_PORT   graceful shutdown (rabbitmqctl shutdown); data stays in DIR
#   private-rabbitmq.sh kill  DIR AMQP_PORT DIST_PORT   SIGKILL of the node's VM (a crash); data stays in DIR
#
# The node is rabbit-p<AMQP_PORT>@localhost, guest/guest on 127.0.0.1:AMQP_PORT, vhost /. Must run as root (the
# broker runs as the rabbitmq user through Debian's wrapper), like scripts/services.sh.
set -euo pipefail
[ $# = 4 ] || { echo "usage: $0 start|stop|kill DIR AMQP_PORT DIST_PORT" >&2; exit 2; }
cmd=$1 dir=$2 port=$3 dist=$4
export RABBITMQ_NODENAME=rabbit-p$port@localhost
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_NODE_PORT=$port
export RABBITMQ_DIST_PORT=$dist
export ERL_EPMD_ADDRESS=127.0.0.1
export RABBITMQ_MNESIA_BASE=$dir/mnesia
export RABBITMQ_LOG_BASE=$dir/log
export RABBITMQ_PID_FILE=$dir/rabbitmq.pid
export RABBITMQ_ENABLED_PLUGINS_FILE=$dir/enabled_plugins
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS='-kernel inet_dist_use_interface {127,0,0,1}'
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
case "$cmd" in
  start)
    mkdir -p "$RABBITMQ_MNESIA_BASE" "$RABBITMQ_LOG_BASE"
    [ -f "$RABBITMQ_ENABLED_PLUGINS_FILE" ] || echo '[].' > "$RABBITMQ_ENABLED_PLUGINS_FILE"
    chmod a+rx "$dir" "$(dirname "$dir")"
    chown -R rabbitmq:rabbitmq "$dir"
    rabbitmq-server -detached
    for _ in $(seq 1 600); do port_open "$port" && break; sleep 0.1; done
    port_open "$port" || { echo "private rabbitmq did not open 127.0.0.1:$port within 60 s; see $dir/log" >&2; exit 1; }
    for _ in $(seq 1 120); do rabbitmq-diagnostics -q -n "$RABBITMQ_NODENAME" check_running >/dev/null 2>&1 && exit 0; sleep 0.25; done
    echo "private rabbitmq $RABBITMQ_NODENAME port open but not running; see $dir/log" >&2; exit 1 ;;
  stop)
    rabbitmqctl -q -n "$RABBITMQ_NODENAME" shutdown >/dev/null 2>&1 || true ;;
  kill)
    pid=$(tr -dc 0-9 < "$RABBITMQ_PID_FILE" 2>/dev/null || true)
    if [ -n "$pid" ] && [ "$(ps -o comm= -p "$pid" 2>/dev/null)" = beam.smp ]; then
      kill -9 "$pid"
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    # the VM's helper (erl_child_setup) and epmd registration go with it; epmd forgets the node by itself
    ;;
  *) echo "usage: $0 start|stop|kill DIR AMQP_PORT DIST_PORT" >&2; exit 2 ;;
esac
