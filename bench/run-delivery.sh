#!/usr/bin/env bash
# bench/run-delivery.sh [messages] [connections] [messages-per-connection]: messages per second from one
# Dispatcher's spool to Postfix's smtp-sink on 127.0.0.1 with limits off (4 KB messages). Needs smtp-sink
# (scripts/services.sh installs postfix). Takes under a minute for the default 20,000 messages.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run -c Release --project bench/Delivery.Load -- "$@"
