#!/usr/bin/env bash
# bench/run-spool.sh [folder]: the spool benchmarks (append throughput against the raw disk, index memory and pick
# time with 1,000,000 deferred recipients, recovery of 1,000,000 messages). Prints markdown for the README's
# Performance section. Needs about 2 GB free in the folder (default /var/tmp); takes a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run -c Release --project bench/Spool.Benchmarks -- "$@"
