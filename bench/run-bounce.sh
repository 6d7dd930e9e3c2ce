#!/bin/sh
# BounceProcessor benchmarks: replies classified per second per core, DSN messages parsed per second.
# Run from anywhere; figures go to the console and BenchmarkDotNet.Artifacts/. Arguments go to BenchmarkDotNet
# (default: --filter '*'); BENCH_DOTNET_ARGS goes to dotnet run (e.g. --artifacts-path DIR).
set -e
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export PIPELINE_CORPUS="${PIPELINE_CORPUS:-$root/../shared/corpus}"   # the DSN benchmark parses the shared corpus
[ $# -eq 0 ] && set -- --filter '*'
exec dotnet run -c Release --project bench/BounceProcessor.Benchmarks ${BENCH_DOTNET_ARGS:-} -- --job short --inProcess "$@"
