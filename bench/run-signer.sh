#!/usr/bin/env bash
# bench/run-signer.sh - DKIM signing speed of the Signer beside `openssl speed` on the same machine.
#
#   bench/run-signer.sh            # BenchmarkDotNet short runs (a few minutes), then openssl speed, then a summary
#
# Prints, per algorithm and message size, the Signer's signatures per second on one core (single-threaded: 1 / time
# of one signature) from BenchmarkDotNet's median and best iteration, and the best as a share of openssl's sign rate
# for the same key type. On a shared, busy machine both sides are slowed at random: openssl runs before and after
# the benchmarks and its faster run counts, as the Signer's best iteration does (best against best).
# Targets (issue #4): RSA-2048 at least 80 % of openssl's rate, Ed25519 at least 50 %.
# Environment: ARTIFACTS (build output, default /tmp/signer-bench-artifacts), OPENSSL_SECONDS (default 3),
# BENCH_FILTER (BenchmarkDotNet's --filter, default '*'; e.g. '*MessageSignerBenchmarks.Signer*').
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ARTIFACTS=${ARTIFACTS:-/tmp/signer-bench-artifacts}
RESULTS=$ARTIFACTS/bdn
OPENSSL_SECONDS=${OPENSSL_SECONDS:-3}
mkdir -p "$RESULTS"

echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
openssl_speed() {
  echo "== openssl speed -seconds $OPENSSL_SECONDS rsa2048 ed25519 ($1)" >&2
  local out; out=$(openssl speed -seconds "$OPENSSL_SECONDS" rsa2048 ed25519 2>/dev/null)
  echo "$out" | grep -E '^rsa 2048|Ed25519' >&2
  # "rsa 2048 bits 0.000649s 0.000019s 1540.3 52140.1" and " 253 bits EdDSA (Ed25519)   0.0000s   0.0001s  27000.1  9000.2"
  echo "$(echo "$out" | awk '$1=="rsa" && $2=="2048" {print $(NF-1)}') $(echo "$out" | awk '/Ed25519/ {print $(NF-1)}')"
}
openssl version
read -r rsa1 ed1 < <(openssl_speed before)

echo "== BenchmarkDotNet (Release)"
rm -rf "$RESULTS/results"   # a failed run must not be summarised from an earlier run's files
dotnet run -c Release --project "$ROOT/bench/Signer.Benchmarks" --artifacts-path "$ARTIFACTS" -- \
  --filter "${BENCH_FILTER:-*}" --exporters json --artifacts "$RESULTS" "$@"

read -r rsa2 ed2 < <(openssl_speed after)
# SHA-256 over 100 KB: every DKIM signer hashes the whole body, so this bounds the 100 KB rows.
sha=$(openssl speed -seconds 1 -bytes 102400 sha256 2>/dev/null | awk '$1=="sha256" {print $NF}' | tr -d k)
echo "== openssl speed -bytes 102400 sha256: ${sha}k bytes/s"
rsa=$(awk -v a="$rsa1" -v b="$rsa2" 'BEGIN{print (a>b)?a:b}')
ed=$(awk -v a="$ed1" -v b="$ed2" 'BEGIN{print (a>b)?a:b}')

echo "== summary: signatures per second per core"
/usr/bin/python3 - "$RESULTS/results" "$rsa" "$ed" "$sha" <<'PY'
import glob, json, sys
folder, rsa, ed, sha = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4] or 0) * 1000
openssl = {"rsa-sha256": rsa, "ed25519-sha256": ed}
target = {"rsa-sha256": 0.80, "ed25519-sha256": 0.50}
rows = set()
for path in glob.glob(folder + "/*-report-full-compressed.json") + glob.glob(folder + "/*-report-full.json"):
    for b in json.load(open(path))["Benchmarks"]:
        p = {kv.split("=")[0]: kv.split("=")[1] for kv in b.get("Parameters", "").split("&") if "=" in kv}
        st = b["Statistics"]
        rows.add((b["Type"], b["Method"], p.get("Algorithm", ""), p.get("Size", "") + ("/" + p["Body"] if "Body" in p else ""), 1e9 / st["Median"], 1e9 / st["Min"]))
print(f"openssl (best of two runs): rsa2048 {rsa:,.0f} sign/s, ed25519 {ed:,.0f} sign/s")
if sha:
    body = 102400 / sha
    print(f"hashing a 100 KB body takes {body * 1e6:,.0f} us: no signer can beat 1/(sign + hash) there, i.e. "
          f"rsa2048 {1 / (1 / rsa + body):,.0f}/s ({1 / (1 / rsa + body) / rsa:.0%}), ed25519 {1 / (1 / ed + body):,.0f}/s ({1 / (1 / ed + body) / ed:.0%})")
print(f"{'benchmark':<42} {'algorithm':<15} {'size/body':>22} {'median/s':>9} {'best/s':>9} {'best/openssl':>12}  target")
for t, m, a, s, median, best in sorted(rows):
    share = best / openssl[a] if a in openssl else 0
    verdict = (("met" if share >= target[a] else "missed") + f" ({target[a]:.0%})") if t == "MessageSignerBenchmarks" and m == "Signer" else ""
    print(f"{t + '.' + m:<42} {a:<15} {s:>22} {median:>9,.0f} {best:>9,.0f} {share:>12.0%}  {verdict}")
PY
