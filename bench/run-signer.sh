#!/usr/bin/env bash
# bench/run-signer.sh - DKIM signing speed of the Signer beside `openssl speed` on the same machine.
#
#   bench/run-signer.sh            # BenchmarkDotNet short runs (a few minutes), then openssl speed, then a summary
#
# Prints, per algorithm and message size, the Signer's signatures per second on one core (1 / mean time of one
# signature, single-threaded) and that rate as a share of openssl's sign rate for the same key type.
# Targets (issue #4): RSA-2048 at least 80 % of openssl's rate, Ed25519 at least 50 %.
# Environment: ARTIFACTS (build output, default /tmp/signer-bench-artifacts), OPENSSL_SECONDS (default 3).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ARTIFACTS=${ARTIFACTS:-/tmp/signer-bench-artifacts}
RESULTS=$ARTIFACTS/bdn
OPENSSL_SECONDS=${OPENSSL_SECONDS:-3}
mkdir -p "$RESULTS"

echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
echo "== BenchmarkDotNet (Release, ShortRun)"
dotnet run -c Release --project "$ROOT/bench/Signer.Benchmarks" --artifacts-path "$ARTIFACTS" -- \
  --filter '*' --exporters json --artifacts "$RESULTS" "$@"

echo "== openssl speed -seconds $OPENSSL_SECONDS rsa2048 ed25519"
openssl version
speed=$(openssl speed -seconds "$OPENSSL_SECONDS" rsa2048 ed25519 2>/dev/null)
echo "$speed" | grep -E '^(rsa|[[:space:]]*253)|sign/s'
# "rsa 2048 bits 0.000649s 0.000019s 1540.3 52140.1" and " 253 bits EdDSA (Ed25519)   0.0000s   0.0001s  27000.1  9000.2"
rsa=$(echo "$speed" | awk '$1=="rsa" && $2=="2048" {print $(NF-1)}')
ed=$(echo "$speed" | awk '/Ed25519/ {print $(NF-1)}')

echo "== summary: signatures per second per core"
/usr/bin/python3 - "$RESULTS/results" "$rsa" "$ed" <<'PY'
import glob, json, sys
folder, rsa, ed = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
openssl = {"rsa-sha256": rsa, "ed25519-sha256": ed}
target = {"rsa-sha256": 0.80, "ed25519-sha256": 0.50}
rows = []
for path in glob.glob(folder + "/*-report-full-compressed.json") + glob.glob(folder + "/*-report-full.json"):
    for b in json.load(open(path))["Benchmarks"]:
        p = {kv.split("=")[0]: kv.split("=")[1] for kv in b.get("Parameters", "").split("&") if "=" in kv}
        rows.append((b["Type"], b["Method"], p.get("Algorithm", ""), p.get("Size", ""), 1e9 / b["Statistics"]["Mean"]))
print(f"openssl: rsa2048 {rsa:,.0f} sign/s, ed25519 {ed:,.0f} sign/s")
print(f"{'benchmark':<40} {'algorithm':<15} {'size':>7} {'sign/s':>10} {'of openssl':>11}  target")
for t, m, a, s, rate in sorted(set(rows)):
    share = rate / openssl[a] if a in openssl else 0
    verdict = ("met" if share >= target[a] else "MISSED") if t == "MessageSignerBenchmarks" and m == "Signer" else ""
    print(f"{t + '.' + m:<40} {a:<15} {s:>7} {rate:>10,.0f} {share:>10.0%}  {verdict}")
PY
